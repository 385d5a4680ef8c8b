using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Addressing;

/// <summary>
/// An IPv4 or IPv6 network prefix (CIDR) with no host bits set, e.g. 10.244.0.0/16 or
/// fd00:10:244::/56. Offsets within the prefix are <see cref="UInt128"/> so IPv6 never overflows.
/// </summary>
public readonly record struct IpPrefix
{
    private IpPrefix(UInt128 first, int prefixLength, IpFamily family)
    {
        First = first;
        PrefixLength = prefixLength;
        Family = family;
    }

    /// <summary>The network address as an integer.</summary>
    public UInt128 First { get; }

    /// <summary>The prefix length (0-32 for IPv4, 0-128 for IPv6).</summary>
    public int PrefixLength { get; }

    /// <summary>The address family.</summary>
    public IpFamily Family { get; }

    /// <summary>32 or 128.</summary>
    public int AddressBits => IpAddressMath.BitsOf(Family);

    /// <summary>The number of host bits (addresses = 2^HostBits).</summary>
    public int HostBits => AddressBits - PrefixLength;

    /// <summary>The number of addresses; saturates at <see cref="UInt128.MaxValue"/> for ::/0.</summary>
    public UInt128 Size => HostBits == 128 ? UInt128.MaxValue : UInt128.One << HostBits;

    /// <summary>The last address as an integer (the IPv4 broadcast address).</summary>
    public UInt128 Last => First | IpAddressMath.HostMask(PrefixLength, AddressBits);

    /// <summary>The network address.</summary>
    public IPAddress NetworkAddress => IpAddressMath.FromUInt128(First, Family);

    /// <summary>The last address of the prefix.</summary>
    public IPAddress LastAddress => IpAddressMath.FromUInt128(Last, Family);

    /// <summary>Builds a prefix; throws <see cref="InvalidCidrException"/> if host bits are set.</summary>
    public static IpPrefix Create(IPAddress network, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(network);
        var family = IpAddressMath.FamilyOf(network);
        var bits = IpAddressMath.BitsOf(family);
        var text = $"{network}/{prefixLength.ToString(CultureInfo.InvariantCulture)}";
        if (prefixLength < 0 || prefixLength > bits)
        {
            throw new InvalidCidrException(text, $"prefix length must be 0-{bits} for {Describe(family)}");
        }

        var value = IpAddressMath.ToUInt128(network);
        if ((value & IpAddressMath.HostMask(prefixLength, bits)) != 0)
        {
            var masked = IpAddressMath.FromUInt128(value & IpAddressMath.NetworkMask(prefixLength, bits), family);
            throw new InvalidCidrException(text, $"host bits are set (did you mean {masked}/{prefixLength}?)");
        }

        return new IpPrefix(value, prefixLength, family);
    }

    /// <summary>The prefix of <paramref name="family"/> starting at <paramref name="first"/>.</summary>
    public static IpPrefix FromFirst(UInt128 first, int prefixLength, IpFamily family) =>
        Create(IpAddressMath.FromUInt128(first, family), prefixLength);

    /// <summary>A single-address prefix (/32 or /128).</summary>
    public static IpPrefix Host(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Create(address, IpAddressMath.BitsOf(IpAddressMath.FamilyOf(address)));
    }

    /// <summary>Parses "address/length"; throws <see cref="InvalidCidrException"/> naming the text.</summary>
    public static IpPrefix Parse(string text) =>
        TryParse(text, out var prefix, out var error) ? prefix : throw new InvalidCidrException(text ?? "", error);

    /// <summary>Parses "address/length" without throwing; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        out IpPrefix prefix,
        [NotNullWhen(false)] out string? error)
    {
        prefix = default;
        // The one strict parser (docs/security.md): host bits are then refused by Create, since a
        // pool or block is a network. IPv4-mapped IPv6 in dotted form ("::ffff:10.0.0.0") is
        // accepted: it is the form ToString() prints (RFC 5952 §5), and stored text must parse back.
        if (!AddressParser.TryParsePrefix(text, out var address, out var length, out error))
        {
            return false;
        }

        try
        {
            prefix = Create(address, length);
            error = null;
            return true;
        }
        catch (InvalidCidrException e)
        {
            error = e.Reason;
            return false;
        }
    }

    /// <summary>True if <paramref name="address"/> is of this family and inside the prefix.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IpAddressMath.FamilyOf(address) == Family && Contains(IpAddressMath.ToUInt128(address));
    }

    /// <summary>True if the integer address lies inside the prefix.</summary>
    public bool Contains(UInt128 address) => address >= First && address <= Last;

    /// <summary>True if <paramref name="other"/> is of this family and lies wholly inside this prefix.</summary>
    public bool Contains(IpPrefix other) =>
        other.Family == Family && other.PrefixLength >= PrefixLength && Contains(other.First);

    /// <summary>True if the two prefixes share at least one address.</summary>
    public bool Overlaps(IpPrefix other) =>
        other.Family == Family && First <= other.Last && other.First <= Last;

    /// <summary>The offset of <paramref name="address"/> from the network address.</summary>
    public UInt128 OffsetOf(IPAddress address)
    {
        if (!Contains(address))
        {
            throw new AddressNotAllocatableException(address.ToString(), ToString(), "outside the range");
        }

        return IpAddressMath.ToUInt128(address) - First;
    }

    /// <summary>The address at <paramref name="offset"/> from the network address (the n-th address).</summary>
    public IPAddress AddressAt(UInt128 offset)
    {
        if (offset > Last - First)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"offset {offset} is outside {this}");
        }

        return IpAddressMath.FromUInt128(First + offset, Family);
    }

    /// <summary>
    /// How many aligned blocks of <paramref name="blockPrefixLength"/> this prefix holds; saturates
    /// at <see cref="UInt128.MaxValue"/> for the /128s of ::/0, whose last index is that value.
    /// </summary>
    public UInt128 BlockCount(int blockPrefixLength)
    {
        var last = LastBlockIndex(blockPrefixLength);
        return last == UInt128.MaxValue ? last : last + 1;
    }

    /// <summary>The <paramref name="index"/>-th aligned block of <paramref name="blockPrefixLength"/>.</summary>
    public IpPrefix BlockAt(int blockPrefixLength, UInt128 index)
    {
        // Compared with the last index, not the count: the count of /128s in ::/0 saturates
        // and would make the very last block unreachable.
        if (index > LastBlockIndex(blockPrefixLength))
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"block {index} is outside {this}");
        }

        var blockHostBits = AddressBits - blockPrefixLength;
        return new IpPrefix(First + (index << blockHostBits), blockPrefixLength, Family);
    }

    /// <summary>The index of the aligned block of <paramref name="blockPrefixLength"/> that holds <paramref name="address"/>.</summary>
    public UInt128 BlockIndexOf(IPAddress address, int blockPrefixLength)
    {
        CheckBlockLength(blockPrefixLength);
        var offset = OffsetOf(address);
        var blockHostBits = AddressBits - blockPrefixLength;

        // UInt128 shift counts are taken modulo 128: ">> 128" would return the offset unchanged.
        return blockHostBits == 128 ? UInt128.Zero : offset >> blockHostBits;
    }

    /// <summary>The aligned block of <paramref name="blockPrefixLength"/> that holds <paramref name="address"/>.</summary>
    public IpPrefix BlockOf(IPAddress address, int blockPrefixLength) =>
        BlockAt(blockPrefixLength, BlockIndexOf(address, blockPrefixLength));

    /// <summary>Every aligned block of <paramref name="blockPrefixLength"/>, in address order.</summary>
    public IEnumerable<IpPrefix> Carve(int blockPrefixLength)
    {
        // Validated here, not on the first MoveNext of a lazy iterator, so a bad length fails at the call.
        var last = LastBlockIndex(blockPrefixLength);
        return CarveBlocks(this, blockPrefixLength, last);
    }

    /// <summary>The canonical text form, e.g. "10.244.0.0/16" or "fd00:10:244::/56".</summary>
    public override string ToString() =>
        $"{NetworkAddress}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    private void CheckBlockLength(int blockPrefixLength)
    {
        if (blockPrefixLength < PrefixLength || blockPrefixLength > AddressBits)
        {
            throw new ArgumentOutOfRangeException(
                nameof(blockPrefixLength),
                $"block prefix length /{blockPrefixLength} must be between /{PrefixLength} and /{AddressBits} for {this}");
        }
    }

    private UInt128 LastBlockIndex(int blockPrefixLength)
    {
        CheckBlockLength(blockPrefixLength);
        var indexBits = blockPrefixLength - PrefixLength;
        return indexBits == 128 ? UInt128.MaxValue : (UInt128.One << indexBits) - 1;
    }

    private static IEnumerable<IpPrefix> CarveBlocks(IpPrefix prefix, int blockPrefixLength, UInt128 last)
    {
        // Stops after the last index instead of comparing with a count that may not fit UInt128.
        for (var i = UInt128.Zero; ; i++)
        {
            yield return prefix.BlockAt(blockPrefixLength, i);
            if (i == last)
            {
                yield break;
            }
        }
    }

    private static string Describe(IpFamily family) => family == IpFamily.V4 ? "IPv4" : "IPv6";
}
