using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Allocation;

/// <summary>Snapshot and restore: the storage mapping of a <see cref="BlockAllocator"/>.</summary>
public sealed partial class BlockAllocator
{
    // DateTimeOffset.FromUnixTimeMilliseconds accepts exactly this range.
    private static readonly long s_minUnixMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long s_maxUnixMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>
    /// The whole state as plain data: allocations with sequences, attributes and times, the next
    /// sequence number, the cursor and the addresses still cooling down. Finished cooldowns are
    /// dropped first (they no longer affect anything), which keeps the snapshot small.
    /// </summary>
    public BlockSnapshot ToSnapshot()
    {
        ExpireCooldowns(NowUnixMs());
        var allocations = new List<BlockSnapshotEntry>(Used);
        foreach (var record in Allocations)
        {
            var attributes = record.Attributes;
            allocations.Add(new BlockSnapshotEntry(
                record.Offset,
                record.HandleId,
                record.Sequence,
                attributes.Node,
                attributes.PodNamespace,
                attributes.PodName,
                attributes.PodUid,
                record.AllocatedAt.ToUnixTimeMilliseconds(),
                attributes.HandleGeneration));
        }

        return new BlockSnapshot(Block.ToString(), _nextSequence, _cursor, allocations, [.. _cooling.Entries()]);
    }

    /// <summary>
    /// Rebuilds an allocator from <paramref name="snapshot"/> under the current
    /// <paramref name="options"/>. The result behaves exactly like the allocator that wrote it.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The snapshot is corrupt or contradicts the options: an unparsable or unsupported block, an
    /// offset outside the block, a duplicate offset, handle or sequence number, a sequence at or
    /// past the next one, an allocation or cooldown on the network, broadcast, reserved or gateway
    /// address, a cursor outside the block or a time out of range. The message says which.
    /// </exception>
    public static BlockAllocator FromSnapshot(BlockSnapshot snapshot, BlockAllocatorOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (!IpPrefix.TryParse(snapshot.Block, out var block, out var error))
        {
            throw Corrupt(snapshot.Block, $"the block is not a CIDR ({error})");
        }

        BlockAllocator allocator;
        try
        {
            allocator = new BlockAllocator(block, options, time);
        }
        catch (InvalidCidrException e)
        {
            throw Corrupt(snapshot.Block, e.Reason);
        }

        allocator.Restore(snapshot);
        return allocator;
    }

    /// <summary>
    /// Restores a block that was retired empty and is now claimed again, possibly under other options:
    /// its next sequence number and cursor, and the cooldowns still running, so an address released
    /// just before the block was returned is not handed to the next owner at once. Cooldowns on
    /// addresses the new options exclude (now reserved, or the gateway) are dropped: those are never
    /// handed out anyway.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="retired"/> still holds allocations.</exception>
    /// <exception cref="InvalidDataException">As <see cref="FromSnapshot"/>.</exception>
    public static BlockAllocator FromRetired(BlockSnapshot retired, BlockAllocatorOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(retired);
        if (retired.Allocations is { Count: > 0 })
        {
            throw new ArgumentException($"block {retired.Block} still holds {retired.Allocations.Count} allocation(s); only an empty block is retired", nameof(retired));
        }

        var empty = FromSnapshot(retired with { Allocations = [], Cooldowns = [] }, options, time);
        var still = (retired.Cooldowns ?? []).Where(c => c is not null && c.Offset >= 0 && c.Offset < empty._layout.Size && empty._layout.ExclusionReason(c.Offset) is null);
        return FromSnapshot(retired with { Allocations = [], Cooldowns = [.. still] }, options, time);
    }

    private static InvalidDataException Corrupt(string? block, string detail) =>
        new($"block snapshot '{block}' is corrupt: {detail}");

    private void Restore(BlockSnapshot snapshot)
    {
        var block = snapshot.Block;
        if (snapshot.Allocations is null || snapshot.Cooldowns is null)
        {
            throw Corrupt(block, "the allocation or cooldown list is missing");
        }

        if (snapshot.Cursor < 0 || snapshot.Cursor >= _layout.Size)
        {
            throw Corrupt(block, $"cursor {snapshot.Cursor} is outside the block ({_layout.Size} addresses)");
        }

        var sequences = new HashSet<ulong>();
        foreach (var entry in snapshot.Allocations)
        {
            if (entry is null)
            {
                throw Corrupt(block, "an allocation entry is missing");
            }

            CheckOffset(block, entry.Offset, "allocation");
            if (string.IsNullOrEmpty(entry.HandleId))
            {
                throw Corrupt(block, $"the allocation at offset {entry.Offset} has no handle id");
            }

            if (_records[entry.Offset] is { } clash)
            {
                throw Corrupt(block, $"offset {entry.Offset} is allocated twice ('{clash.HandleId}' and '{entry.HandleId}')");
            }

            if (_offsetByHandle.TryGetValue(entry.HandleId, out var firstOffset))
            {
                throw Corrupt(block, $"handle '{entry.HandleId}' holds two addresses (offsets {firstOffset} and {entry.Offset})");
            }

            if (entry.Sequence == 0 || entry.Sequence >= snapshot.NextSequence || !sequences.Add(entry.Sequence))
            {
                throw Corrupt(
                    block,
                    $"sequence {entry.Sequence} of offset {entry.Offset} is zero, repeated or not below the next sequence {snapshot.NextSequence}");
            }

            Install(new AllocationRecord(
                Block.AddressAt((UInt128)entry.Offset),
                entry.Offset,
                entry.HandleId,
                entry.Sequence,
                ToAttributes(entry),
                DateTimeOffset.FromUnixTimeMilliseconds(CheckTime(block, entry.AllocatedAtUnixMs))));
        }

        foreach (var entry in snapshot.Cooldowns)
        {
            if (entry is null)
            {
                throw Corrupt(block, "a cooldown entry is missing");
            }

            CheckOffset(block, entry.Offset, "cooldown");
            if (_used[entry.Offset] || _cooling.Contains(entry.Offset))
            {
                throw Corrupt(block, $"offset {entry.Offset} is cooling down but also allocated or cooling twice");
            }

            _cooling.Enqueue(entry.Offset, CheckTime(block, entry.ReleasedAtUnixMs));
            _skipped.Set(entry.Offset);
        }

        _nextSequence = Math.Max(snapshot.NextSequence, 1);
        _cursor = snapshot.Cursor;
    }

    private void CheckOffset(string block, int offset, string what)
    {
        if (offset < 0 || offset >= _layout.Size)
        {
            throw Corrupt(block, $"{what} offset {offset} is outside the block ({_layout.Size} addresses)");
        }

        if (_layout.ExclusionReason(offset) is { } reason)
        {
            throw Corrupt(block, $"{what} at offset {offset} ({Block.AddressAt((UInt128)offset)}) is not allocatable: {reason}");
        }
    }

    private static long CheckTime(string block, long unixMs) =>
        unixMs >= s_minUnixMs && unixMs <= s_maxUnixMs
            ? unixMs
            : throw Corrupt(block, $"time {unixMs} ms is out of range");

    private static AllocationAttributes ToAttributes(BlockSnapshotEntry entry) =>
        entry is { Node: null, PodNamespace: null, PodName: null, PodUid: null, HandleGeneration: 0 }
            ? AllocationAttributes.None
            : new AllocationAttributes(entry.Node, entry.PodNamespace, entry.PodName, entry.PodUid, entry.HandleGeneration);
}
