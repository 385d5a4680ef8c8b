using DistIpam.Core.Allocation;
using FsCheck.Xunit;

namespace DistIpam.Core.Tests.Allocation;

public sealed class BitmapTests
{
    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Searches_AnyBitsAndWindow_MatchANaiveScan(BitmapCase c)
    {
        var bitmap = new Bitmap(c.Bits.Count);
        for (var i = 0; i < c.Bits.Count; i++)
        {
            if (c.Bits[i])
            {
                Assert.True(bitmap.Set(i));
                Assert.False(bitmap.Set(i));
            }
        }

        Check(bitmap, c.Bits, c.From, c.To);

        // Clearing every third set bit must keep everything consistent too.
        var after = c.Bits.ToArray();
        for (var i = 0; i < after.Length; i += 3)
        {
            Assert.Equal(after[i], bitmap.Clear(i));
            after[i] = false;
        }

        Check(bitmap, after, c.From, c.To);
    }

    [Fact]
    public void Indexer_OutsideTheBitmap_ThrowsArgumentOutOfRange()
    {
        var bitmap = new Bitmap(64);

        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap[64]);
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.Set(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => bitmap.FindNextClear(0, 65));
    }

    private static void Check(Bitmap bitmap, IReadOnlyList<bool> bits, int from, int to)
    {
        Assert.Equal(bits.Count(b => b), bitmap.Count);
        for (var i = 0; i < bits.Count; i++)
        {
            Assert.Equal(bits[i], bitmap[i]);
        }

        Assert.Equal(Naive(bits, from, to, false), bitmap.FindNextClear(from, to));
        Assert.Equal(Naive(bits, from, to, true), bitmap.FindNextSet(from, to));
        Assert.Equal(Enumerable.Range(from, to - from).Count(i => bits[i]), bitmap.CountSet(from, to));
        if (from < to)
        {
            var start = from + ((to - from) / 2);
            var wrapped = Naive(bits, start, to, false) is var ahead and >= 0 ? ahead : Naive(bits, from, start, false);
            Assert.Equal(wrapped, bitmap.FindNextClearWrapping(start, from, to));
        }
    }

    private static int Naive(IReadOnlyList<bool> bits, int from, int to, bool value)
    {
        for (var i = from; i < to; i++)
        {
            if (bits[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
