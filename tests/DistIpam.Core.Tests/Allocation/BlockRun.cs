using System.Text.Json;
using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;
using Microsoft.Extensions.Time.Testing;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>
/// Drives a <see cref="BlockAllocator"/>, its <see cref="BlockModel"/> and optionally a mirror
/// allocator (restored from a snapshot) through the same operations, asserting after each one
/// that all give the same outcome and that the allocator's invariants hold.
/// </summary>
internal sealed class BlockRun
{
    private static readonly AllocationAttributes[] s_attributes =
    [
        AllocationAttributes.None,
        new(Node: "worker-1"),
        new("worker-2", "default", "web-7d9f8c6b5-x2x9q", "5b0c2c7e-1f7e-4c1b-9a53-3f7c2f1e8d21"),
    ];

    private int _fresh;

    public BlockRun(BlockScenario scenario)
    {
        Scenario = scenario;
        Time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Allocator = new BlockAllocator(scenario.Block, scenario.Options, Time);
        Model = new BlockModel(scenario, Time);
    }

    public BlockScenario Scenario { get; }

    public FakeTimeProvider Time { get; }

    public BlockAllocator Allocator { get; }

    public BlockModel Model { get; }

    /// <summary>Check the invariants after every step, not only when the caller asks.</summary>
    public bool CheckEveryStep { get; init; }

    /// <summary>When set, receives every operation too and must give identical outcomes.</summary>
    public BlockAllocator? Mirror { get; set; }

    public static string Handle(int number) => $"podnet/container-{number}/eth0";

    public static BlockSnapshot JsonRoundTrip(BlockSnapshot snapshot) =>
        JsonSerializer.Deserialize<BlockSnapshot>(JsonSerializer.Serialize(snapshot))!;

    public static string Json(BlockSnapshot snapshot) => JsonSerializer.Serialize(snapshot);

    public void Apply(BlockOp op)
    {
        switch (op)
        {
            case AllocateOp(var handle, var attributes):
                Compare(op, a => a.Allocate(Handle(handle), s_attributes[attributes]), m => m.Allocate(Handle(handle), s_attributes[attributes]));
                break;
            case AllocateSpecificOp(var offset, var handle):
                var address = AllocatorArbitraries.AddressFor(Scenario.Block, offset);
                Compare(op, a => a.AllocateSpecific(address, Handle(handle), s_attributes[0]), m => m.AllocateSpecific(address, Handle(handle), s_attributes[0]));
                break;
            case ReleaseHandleOp(var handle):
                Compare(op, a => a.ReleaseByHandle(Handle(handle)), m => m.ReleaseByHandle(Handle(handle)));
                break;
            case ReleaseAddressOp(var offset, var pick):
                var target = AllocatorArbitraries.AddressFor(Scenario.Block, offset);
                var sequence = Model.PickSequence(Math.Clamp(offset, 0, Scenario.Size - 1), pick);
                Compare(op, a => a.Release(target, sequence), m => m.Release(target, sequence));
                break;
            case AdvanceTimeOp(var milliseconds):
                Time.Advance(TimeSpan.FromMilliseconds(milliseconds));
                break;
            case FillOp:
                Fill();
                break;
            default:
                throw new InvalidOperationException($"unknown op {op}");
        }

        // Per step on small blocks; large ones are checked at the end of the run (the cost is O(size)).
        if (CheckEveryStep && Scenario.Size <= 256)
        {
            CheckInvariants();
        }
    }

    /// <summary>Allocates fresh handles until the exhaustion error; returns how many were taken.</summary>
    public int Fill()
    {
        var taken = 0;
        for (var i = 0; i <= Model.Capacity; i++)
        {
            var handle = $"fill-{_fresh++}";
            var outcome = Compare(new AllocateOp(-1, 0), a => a.Allocate(handle, AllocationAttributes.None), m => m.Allocate(handle, AllocationAttributes.None));
            if (outcome is PoolExhaustedException)
            {
                return taken;
            }

            taken++;
        }

        throw new InvalidOperationException($"{Scenario.Block} handed out more than its capacity {Model.Capacity}");
    }

    public void CheckInvariants()
    {
        // Plain comparisons with a message built only on failure: xunit's collection asserts are
        // far too slow for a check that runs after every step of thousands of runs.
        var records = Allocator.Allocations.ToList();
        Check(Model.Capacity == Allocator.Capacity, () => $"capacity {Allocator.Capacity}, expected {Model.Capacity}");
        Check(records.Count == Allocator.Used, () => $"Used {Allocator.Used} but {records.Count} allocations listed");
        Check(Allocator.Free == Allocator.Capacity - Allocator.Used, () => $"Free {Allocator.Free}");
        Check(Allocator.IsEmpty == (records.Count == 0), () => $"IsEmpty {Allocator.IsEmpty} with {records.Count} allocations");
        var handles = new HashSet<string>(StringComparer.Ordinal);
        var previous = -1;
        foreach (var record in records)
        {
            Check(record.Offset > previous, () => $"allocations not in address order at {record}");
            previous = record.Offset;
            Check(handles.Add(record.HandleId), () => $"handle {record.HandleId} holds two addresses");
            Check(Scenario.Block.Contains(record.Address), () => $"{record.Address} is outside {Scenario.Block}");
            Check(Scenario.Block.AddressAt((UInt128)record.Offset).Equals(record.Address), () => $"offset and address disagree in {record}");
            Check(Model.ExclusionReason(record.Offset) is null, () => $"{record} is on the {Model.ExclusionReason(record.Offset)}");
            Check(record.Equals(Allocator.FindByHandle(record.HandleId)), () => $"FindByHandle disagrees for {record}");
            Check(record.Equals(Allocator.FindByAddress(record.Address)), () => $"FindByAddress disagrees for {record}");
            Check(Model.Held.TryGetValue(record.Offset, out var modelled) && modelled.Equals(record), () => $"model does not hold {record}");
        }

        Check(records.Count == Model.Held.Count, () => $"{records.Count} allocations, model has {Model.Held.Count}");
    }

    private static void Check(bool condition, Func<string> message)
    {
        if (!condition)
        {
            Assert.Fail(message());
        }
    }

    private object Compare(BlockOp op, Func<BlockAllocator, object> actual, Func<BlockModel, object> expected)
    {
        var want = Outcome(() => expected(Model));
        var got = Outcome(() => actual(Allocator));
        if (!Same(want, got))
        {
            Assert.Fail($"{op} at {Time.GetUtcNow():O}: model says\n  {Describe(want)}\nallocator gave\n  {Describe(got)}");
        }

        if (Mirror is { } mirror)
        {
            var mirrored = Outcome(() => actual(mirror));
            if (!Same(got, mirrored))
            {
                Assert.Fail($"{op}: original gave\n  {Describe(got)}\nrestored copy gave\n  {Describe(mirrored)}");
            }
        }

        return got;
    }

    // Outcomes are compared as values and only formatted on failure: the runs are hot.
    private static object Outcome(Func<object> action)
    {
        try
        {
            return action();
        }
        catch (IpamException e)
        {
            return e;
        }
    }

    private static bool Same(object left, object right) => (left, right) switch
    {
        (IpamException a, IpamException b) => a.GetType() == b.GetType() && a.Message == b.Message,
        (IReadOnlyList<AllocationRecord> a, IReadOnlyList<AllocationRecord> b) => a.SequenceEqual(b),
        _ => left.Equals(right),
    };

    private static string Describe(object outcome) => outcome switch
    {
        IpamException e => $"{e.GetType().Name}: {e.Message}",
        IReadOnlyList<AllocationRecord> list => $"[{string.Join(", ", list)}]",
        _ => outcome.ToString()!,
    };
}
