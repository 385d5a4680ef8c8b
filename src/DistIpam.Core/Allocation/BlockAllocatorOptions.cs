using System.Net;
using DistIpam.Core.Addressing;

namespace DistIpam.Core.Allocation;

/// <summary>
/// What a <see cref="BlockAllocator"/> must never hand out, and how long a released address rests.
/// Options are not stored in the block snapshot: the pool's current configuration applies on
/// every activation, and <see cref="BlockAllocator.FromSnapshot"/> refuses a snapshot that holds
/// an address these options exclude.
/// </summary>
public sealed record BlockAllocatorOptions
{
    /// <summary>Options with no reserved ranges, no gateway and the default cooldown.</summary>
    public BlockAllocatorOptions()
    {
    }

    /// <summary>Options with every field given.</summary>
    public BlockAllocatorOptions(IReadOnlyList<IpRange> reserved, IPAddress? gateway, TimeSpan releaseCooldown)
    {
        Reserved = reserved;
        Gateway = gateway;
        ReleaseCooldown = releaseCooldown;
    }

    /// <summary>The default <see cref="ReleaseCooldown"/>: 30 seconds.</summary>
    public static TimeSpan DefaultReleaseCooldown { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Options with every default.</summary>
    public static BlockAllocatorOptions Default { get; } = new();

    /// <summary>
    /// Ranges never handed out. They may extend beyond the block (pool-wide reservations are
    /// passed as they are); only the part inside the block counts, and ranges of the other family
    /// are ignored. Default: none.
    /// </summary>
    public IReadOnlyList<IpRange> Reserved { get; init; } = [];

    /// <summary>
    /// The block's gateway (bridged wiring), never handed out. Ignored when it lies outside the
    /// block. Default: none.
    /// </summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>
    /// How long a released address is passed over while any other address is free, so stale
    /// conntrack entries and routes of the old pod cannot reach a new one. Zero disables it;
    /// negative is refused. Default: 30 seconds.
    /// </summary>
    public TimeSpan ReleaseCooldown { get; init; } = DefaultReleaseCooldown;
}
