using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;

namespace DistIpam.Grains.Blocks;

/// <summary>Converts between the stored <see cref="BlockState"/> and Core's allocator.</summary>
internal static class BlockStateMapper
{
    public static BlockAllocator Restore(IpPrefix block, BlockState state, TimeProvider time) =>
        BlockAllocator.FromSnapshot(SnapshotOf(block, state), OptionsOf(block, state.Settings!), time);

    /// <summary>A retired block claimed again under <paramref name="settings"/>: sequences, cursor and running cooldowns carry over.</summary>
    public static BlockAllocator RestoreRetired(IpPrefix block, BlockState retired, BlockSettings settings, TimeProvider time) =>
        BlockAllocator.FromRetired(SnapshotOf(block, retired), OptionsOf(block, settings), time);

    private static BlockSnapshot SnapshotOf(IpPrefix block, BlockState state) => new(
        block.ToString(),
        state.NextSequence,
        state.Cursor,
        [.. state.Allocations.Select(a => new BlockSnapshotEntry(
            a.Offset, a.HandleId, a.Sequence, a.Pod.Node, a.Pod.Namespace, a.Pod.Name, a.Pod.Uid, a.AllocatedAtUnixMs, a.Pod.HandleGeneration))],
        [.. state.Cooldowns.Select(c => new CooldownEntry(c.Offset, c.ReleasedAtUnixMs))]);

    public static BlockState Capture(BlockAllocator allocator, BlockSettings settings)
    {
        var snapshot = allocator.ToSnapshot();
        return new BlockState
        {
            Settings = settings,
            NextSequence = snapshot.NextSequence,
            Cursor = snapshot.Cursor,
            Allocations = [.. snapshot.Allocations.Select(a => new StoredAllocation
            {
                Offset = a.Offset,
                HandleId = a.HandleId,
                Sequence = a.Sequence,
                Pod = new PodIdentity { Node = a.Node, Namespace = a.PodNamespace, Name = a.PodName, Uid = a.PodUid, HandleGeneration = a.HandleGeneration },
                AllocatedAtUnixMs = a.AllocatedAtUnixMs,
            })],
            Cooldowns = [.. snapshot.Cooldowns.Select(c => new StoredCooldown { Offset = c.Offset, ReleasedAtUnixMs = c.ReleasedAtUnixMs })],
        };
    }

    public static BlockAllocatorOptions OptionsOf(IpPrefix block, BlockSettings settings) => new(
        [.. settings.Reserved.Select(IpRange.Parse)],
        GatewayOf(block, settings),
        settings.ReleaseCooldown);

    /// <summary>Bridged pools use the block's first usable address as the pods' gateway.</summary>
    public static IPAddress? GatewayOf(IpPrefix block, BlockSettings settings) =>
        settings.HasGateway && block.HostBits >= 2 ? block.AddressAt(1) : null;

    public static AllocationAttributes AttributesOf(PodIdentity pod) =>
        new(pod.Node, pod.Namespace, pod.Name, pod.Uid, pod.HandleGeneration);

    public static PodIdentity PodOf(AllocationAttributes attributes) => new()
    {
        Node = attributes.Node,
        Namespace = attributes.PodNamespace,
        Name = attributes.PodName,
        Uid = attributes.PodUid,
        HandleGeneration = attributes.HandleGeneration,
    };
}
