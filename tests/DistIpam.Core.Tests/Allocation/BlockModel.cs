using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;
using Microsoft.Extensions.Time.Testing;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>
/// The block allocator's specification written the naive way (per-address loops, lists, no
/// bitmaps), to check the real one against: same results, same errors, same order.
/// </summary>
internal sealed class BlockModel
{
    private readonly BlockScenario _scenario;
    private readonly FakeTimeProvider _time;
    private readonly string?[] _exclusions;
    private readonly Dictionary<int, AllocationRecord> _held = [];
    private readonly Dictionary<string, AllocationRecord> _byHandle = [];

    // Free addresses in release order, with their release times (Unix ms).
    private readonly List<(int Offset, long ReleasedAt)> _released = [];
    private readonly Dictionary<int, List<ulong>> _history = [];
    private ulong _nextSequence = 1;
    private int _cursor;

    public BlockModel(BlockScenario scenario, FakeTimeProvider time)
    {
        _scenario = scenario;
        _time = time;
        _exclusions = [.. Enumerable.Range(0, scenario.Size).Select(Exclusion)];
        Capacity = _exclusions.Count(e => e is null);
    }

    public int Capacity { get; }

    public IReadOnlyDictionary<int, AllocationRecord> Held => _held;

    private IpPrefix Block => _scenario.Block;

    private long Now => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public string? ExclusionReason(int offset) => _exclusions[offset];

    public AllocationRecord Allocate(string handleId, AllocationAttributes attributes)
    {
        if (FindByHandle(handleId) is { } existing)
        {
            return existing;
        }

        if (_held.Count == Capacity)
        {
            throw new PoolExhaustedException(Block.ToString(), (UInt128)Capacity);
        }

        var size = _scenario.Size;
        var pick = -1;
        for (var i = 0; i < size && pick < 0; i++)
        {
            var offset = (_cursor + i) % size;
            if (_exclusions[offset] is null && !_held.ContainsKey(offset) && !IsCooling(offset))
            {
                pick = offset;
            }
        }

        if (pick < 0)
        {
            pick = _released.First(r => IsCooling(r.Offset)).Offset;
        }

        _cursor = (pick + 1) % size;
        return Take(pick, handleId, attributes);
    }

    public AllocationRecord AllocateSpecific(IPAddress address, string handleId, AllocationAttributes attributes)
    {
        if (!Block.Contains(address))
        {
            throw NotAllocatable(address, "outside the range");
        }

        var offset = (int)(IpAddressMath.ToUInt128(address) - Block.First);
        if (_exclusions[offset] is { } reason)
        {
            throw NotAllocatable(address, reason);
        }

        if (_held.TryGetValue(offset, out var held))
        {
            return held.HandleId == handleId ? held : throw new AddressTakenException(address.ToString(), held.HandleId);
        }

        if (FindByHandle(handleId) is { } other)
        {
            throw NotAllocatable(address, $"handle '{handleId}' already holds {other.Address} in this block");
        }

        return Take(offset, handleId, attributes);
    }

    public IReadOnlyList<AllocationRecord> ReleaseByHandle(string handleId)
    {
        if (FindByHandle(handleId) is not { } record)
        {
            return [];
        }

        Free(record.Offset);
        return [record];
    }

    public bool Release(IPAddress address, ulong sequence)
    {
        var record = _held.Values.FirstOrDefault(r => r.Address.Equals(address));
        if (record is null || record.Sequence != sequence)
        {
            return false;
        }

        Free(record.Offset);
        return true;
    }

    /// <summary>Pick 0: the current (or latest) sequence of the offset; 1: the one before (stale); 2: the first ever; 3: one never issued.</summary>
    public ulong PickSequence(int offset, int pick)
    {
        var history = _history.GetValueOrDefault(offset) ?? [];
        return pick switch
        {
            0 when history.Count > 0 => history[^1],
            1 when history.Count > 1 => history[^2],
            2 when history.Count > 0 => history[0],
            _ => _nextSequence + 1000,
        };
    }

    public AllocationRecord? FindByHandle(string handleId) => _byHandle.GetValueOrDefault(handleId);

    private AllocationRecord Take(int offset, string handleId, AllocationAttributes attributes)
    {
        var record = new AllocationRecord(
            Block.AddressAt((UInt128)offset),
            offset,
            handleId,
            _nextSequence++,
            attributes,
            DateTimeOffset.FromUnixTimeMilliseconds(Now));
        _held.Add(offset, record);
        _byHandle.Add(handleId, record);
        _released.RemoveAll(r => r.Offset == offset);
        if (!_history.TryGetValue(offset, out var history))
        {
            _history[offset] = history = [];
        }

        history.Add(record.Sequence);
        return record;
    }

    private void Free(int offset)
    {
        _byHandle.Remove(_held[offset].HandleId);
        _held.Remove(offset);
        _released.Add((offset, Now));
    }

    private bool IsCooling(int offset)
    {
        var index = _released.FindIndex(r => r.Offset == offset);
        return index >= 0 && (Now - _released[index].ReleasedAt) * TimeSpan.TicksPerMillisecond < _scenario.Cooldown.Ticks;
    }

    private string? Exclusion(int offset)
    {
        var address = Block.First + (UInt128)offset;
        if (offset == 0)
        {
            return "network address";
        }

        if (Block.Family == IpFamily.V4 && address == Block.Last)
        {
            return "broadcast address";
        }

        if (_scenario.Gateway is { } gateway && IpAddressMath.FamilyOf(gateway) == Block.Family
            && IpAddressMath.ToUInt128(gateway) == address)
        {
            return "gateway";
        }

        return _scenario.Reserved.Any(r => r.Family == Block.Family && r.Contains(address)) ? "reserved" : null;
    }

    private AddressNotAllocatableException NotAllocatable(IPAddress address, string reason) =>
        new(address.ToString(), Block.ToString(), reason);
}
