using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Allocation;

/// <summary>
/// The fixed shape of one block: its size and which offsets can never be handed out (network,
/// IPv4 broadcast, gateway, reserved) and why. Computed once from the block and its options.
/// </summary>
internal sealed class BlockLayout
{
    /// <summary>The longest IPv4 block (/20 = 4096 addresses) keeps offsets and bitmaps small.</summary>
    public const int MinIPv4PrefixLength = 20;

    /// <summary>The IPv6 counterpart of <see cref="MinIPv4PrefixLength"/> (/116 = 4096 addresses).</summary>
    public const int MinIPv6PrefixLength = 116;

    private const string NetworkReason = "network address";
    private const string BroadcastReason = "broadcast address";
    private const string GatewayReason = "gateway";
    private const string ReservedReason = "reserved";

    private readonly Bitmap _reserved;
    private readonly int _gatewayOffset = -1;

    /// <summary>Lays out <paramref name="block"/>; throws <see cref="InvalidCidrException"/> for a size outside /20-/32 (/116-/128).</summary>
    public BlockLayout(IpPrefix block, BlockAllocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Reserved);
        if (options.ReleaseCooldown < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), $"release cooldown {options.ReleaseCooldown} must not be negative");
        }

        var minimum = block.Family == IpFamily.V4 ? MinIPv4PrefixLength : MinIPv6PrefixLength;
        if (block.PrefixLength < minimum)
        {
            throw new InvalidCidrException(
                block.ToString(),
                $"a block must be /{minimum} to /{block.AddressBits} (at most 4096 addresses)");
        }

        Block = block;
        Size = (int)block.Size;
        Excluded = new Bitmap(Size);
        _reserved = new Bitmap(Size);
        foreach (var range in options.Reserved)
        {
            if (!range.Overlaps(block))
            {
                continue;
            }

            var first = (int)((range.Start > block.First ? range.Start : block.First) - block.First);
            var last = (int)((range.End < block.Last ? range.End : block.Last) - block.First);
            for (var offset = first; offset <= last; offset++)
            {
                _reserved.Set(offset);
                Excluded.Set(offset);
            }
        }

        if (options.Gateway is { } gateway && block.Contains(gateway))
        {
            _gatewayOffset = (int)block.OffsetOf(gateway);
            Excluded.Set(_gatewayOffset);
        }

        Excluded.Set(0);
        if (block.Family == IpFamily.V4)
        {
            Excluded.Set(Size - 1);
        }

        Capacity = Size - Excluded.Count;
    }

    /// <summary>The block.</summary>
    public IpPrefix Block { get; }

    /// <summary>The number of addresses in the block (1 to 4096).</summary>
    public int Size { get; }

    /// <summary>How many addresses can be handed out.</summary>
    public int Capacity { get; }

    /// <summary>Every offset that can never be handed out. Callers must not change it.</summary>
    public Bitmap Excluded { get; }

    /// <summary>The offset of <paramref name="address"/>, or -1 if it lies outside the block (or is of the other family).</summary>
    public int OffsetOf(IPAddress address) => Block.Contains(address) ? (int)Block.OffsetOf(address) : -1;

    /// <summary>Why <paramref name="offset"/> can never be handed out, or null if it can.</summary>
    public string? ExclusionReason(int offset)
    {
        if (!Excluded[offset])
        {
            return null;
        }

        // Network is checked before broadcast so the single address of a /32 reads as the network.
        if (offset == 0)
        {
            return NetworkReason;
        }

        if (Block.Family == IpFamily.V4 && offset == Size - 1)
        {
            return BroadcastReason;
        }

        return offset == _gatewayOffset ? GatewayReason : ReservedReason;
    }

    /// <summary>The failure for asking for <paramref name="address"/> at an excluded or outside offset.</summary>
    public AddressNotAllocatableException NotAllocatable(IPAddress address, string reason) =>
        new(address.ToString(), Block.ToString(), reason);
}
