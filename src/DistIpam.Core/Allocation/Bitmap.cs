using System.Numerics;

namespace DistIpam.Core.Allocation;

/// <summary>
/// A fixed-length set of bits searched a 64-bit word at a time. The block, service-range and
/// port allocators all keep "which slots are taken" in one of these, so finding the next free
/// slot in a 1M-address service range costs 16k word reads, not 1M bit tests.
/// </summary>
/// <remarks>Not thread-safe; each allocator owns its bitmaps.</remarks>
internal sealed class Bitmap
{
    private const int WordBits = 64;

    private readonly ulong[] _words;

    /// <summary>An all-clear bitmap of <paramref name="length"/> bits.</summary>
    public Bitmap(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _words = new ulong[(length + WordBits - 1) / WordBits];
    }

    /// <summary>The number of bits.</summary>
    public int Length { get; }

    /// <summary>The number of set bits, kept up to date on every change.</summary>
    public int Count { get; private set; }

    /// <summary>True if bit <paramref name="index"/> is set.</summary>
    public bool this[int index]
    {
        get
        {
            CheckIndex(index);
            return (_words[index / WordBits] & Bit(index)) != 0;
        }
    }

    /// <summary>Sets bit <paramref name="index"/>; true if it was clear before.</summary>
    public bool Set(int index)
    {
        CheckIndex(index);
        ref var word = ref _words[index / WordBits];
        if ((word & Bit(index)) != 0)
        {
            return false;
        }

        word |= Bit(index);
        Count++;
        return true;
    }

    /// <summary>Clears bit <paramref name="index"/>; true if it was set before.</summary>
    public bool Clear(int index)
    {
        CheckIndex(index);
        ref var word = ref _words[index / WordBits];
        if ((word & Bit(index)) == 0)
        {
            return false;
        }

        word &= ~Bit(index);
        Count--;
        return true;
    }

    /// <summary>The first clear bit in [<paramref name="from"/>, <paramref name="toExclusive"/>), or -1.</summary>
    public int FindNextClear(int from, int toExclusive) => FindNext(from, toExclusive, ulong.MaxValue);

    /// <summary>The first set bit in [<paramref name="from"/>, <paramref name="toExclusive"/>), or -1.</summary>
    public int FindNextSet(int from, int toExclusive) => FindNext(from, toExclusive, 0);

    /// <summary>
    /// The first clear bit at or after <paramref name="start"/> within [<paramref name="low"/>,
    /// <paramref name="highExclusive"/>), wrapping around to <paramref name="low"/>; -1 if the
    /// whole window is set.
    /// </summary>
    public int FindNextClearWrapping(int start, int low, int highExclusive)
    {
        var found = FindNextClear(start, highExclusive);
        return found >= 0 ? found : FindNextClear(low, start);
    }

    /// <summary>The number of set bits in [<paramref name="from"/>, <paramref name="toExclusive"/>).</summary>
    public int CountSet(int from, int toExclusive)
    {
        var count = 0;
        for (var i = FindNextSet(from, toExclusive); i >= 0; i = FindNextSet(i + 1, toExclusive))
        {
            count++;
        }

        return count;
    }

    private static ulong Bit(int index) => 1UL << (index % WordBits);

    // flip = all ones searches for clear bits, zero for set bits: one loop for both.
    private int FindNext(int from, int toExclusive, ulong flip)
    {
        if (from < 0 || toExclusive > Length)
        {
            throw new ArgumentOutOfRangeException(
                nameof(from), $"[{from}, {toExclusive}) is outside a bitmap of {Length} bits");
        }

        if (from >= toExclusive)
        {
            return -1;
        }

        var wordIndex = from / WordBits;
        var lastWord = (toExclusive - 1) / WordBits;
        var word = (_words[wordIndex] ^ flip) & (ulong.MaxValue << (from % WordBits));
        while (true)
        {
            if (word != 0)
            {
                var found = (wordIndex * WordBits) + BitOperations.TrailingZeroCount(word);
                return found < toExclusive ? found : -1;
            }

            if (++wordIndex > lastWord)
            {
                return -1;
            }

            word = _words[wordIndex] ^ flip;
        }
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"bit {index} is outside a bitmap of {Length} bits");
        }
    }
}
