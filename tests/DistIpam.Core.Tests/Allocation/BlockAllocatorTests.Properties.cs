using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;
using FsCheck.Xunit;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class BlockAllocatorTests
{
    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Operations_AnySequence_MatchModelAndKeepInvariants(BlockCase c)
    {
        var run = new BlockRun(c.Scenario) { CheckEveryStep = true };
        foreach (var op in c.Ops)
        {
            run.Apply(op);
        }

        run.CheckInvariants();
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void AllocateAllThenReleaseAll_AnyHistory_ReturnsToEmptyAndEveryAddressIsUsableAgain(BlockCase c)
    {
        var run = new BlockRun(c.Scenario);
        foreach (var op in c.Ops)
        {
            run.Apply(op);
        }

        run.Fill();
        Assert.Equal(run.Allocator.Capacity, run.Allocator.Used);
        var released = 0;
        foreach (var record in run.Allocator.Allocations.ToList())
        {
            // Alternate the two release paths; both must free exactly this record.
            var freed = released++ % 2 == 0
                ? run.Allocator.ReleaseByHandle(record.HandleId).Single()
                : (run.Allocator.Release(record.Address, record.Sequence) ? record : null);
            Assert.Equal(record, freed);
        }

        Assert.True(run.Allocator.IsEmpty);
        Assert.Equal(0, run.Allocator.Used);
        Assert.Equal(run.Allocator.Capacity, run.Allocator.Free);
        Assert.Empty(run.Allocator.Allocations);
        Assert.Empty(run.Allocator.ToSnapshot().Allocations);

        var again = Enumerable.Range(0, run.Allocator.Capacity)
            .Select(i => run.Allocator.Allocate($"again-{i}", AllocationAttributes.None).Offset)
            .ToList();
        Assert.Equal(run.Allocator.Capacity, again.Distinct().Count());
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Allocate_PastCapacity_ThrowsExhaustionAndChangesNothing(BlockCase c)
    {
        var run = new BlockRun(c.Scenario);
        foreach (var op in c.Ops)
        {
            run.Apply(op);
        }

        run.Fill();
        var before = BlockRun.Json(run.Allocator.ToSnapshot());

        var error = Assert.Throws<PoolExhaustedException>(() => run.Allocator.Allocate("one-too-many", AllocationAttributes.None));

        Assert.Equal(c.Scenario.Block.ToString(), error.Scope);
        Assert.Equal((UInt128)run.Allocator.Capacity, error.Size);
        Assert.Equal(before, BlockRun.Json(run.Allocator.ToSnapshot()));
        foreach (var record in run.Allocator.Allocations.Take(3))
        {
            // Idempotent retries of existing handles still succeed on a full block.
            Assert.Equal(record, run.Allocator.Allocate(record.HandleId, AllocationAttributes.None));
        }

        Assert.Equal(before, BlockRun.Json(run.Allocator.ToSnapshot()));
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void SnapshotRestore_AnyPoint_RoundTripsAndBehavesIdentically(BlockCase c, int split)
    {
        var at = (int)((uint)split % (uint)(c.Ops.Count + 1));
        var run = new BlockRun(c.Scenario);
        foreach (var op in c.Ops.Take(at))
        {
            run.Apply(op);
        }

        var snapshot = run.Allocator.ToSnapshot();
        var restored = BlockAllocator.FromSnapshot(BlockRun.JsonRoundTrip(snapshot), c.Scenario.Options, run.Time);

        Assert.Equal(BlockRun.Json(snapshot), BlockRun.Json(restored.ToSnapshot()));
        Assert.True(run.Allocator.Allocations.SequenceEqual(restored.Allocations), "restored allocations differ");
        Assert.Equal(run.Allocator.Capacity, restored.Capacity);
        Assert.Equal(run.Allocator.Used, restored.Used);
        run.Mirror = restored;
        foreach (var op in c.Ops.Skip(at).Append(new FillOp()))
        {
            run.Apply(op);
        }

        Assert.Equal(BlockRun.Json(run.Allocator.ToSnapshot()), BlockRun.Json(restored.ToSnapshot()));
        run.CheckInvariants();
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Allocate_WithinCooldown_HandsOutReleasedAddressesOnlyWhenNothingElseIsFreeOldestFirst(BlockScenario scenario, int seed)
    {
        var cooling = scenario with { Cooldown = scenario.Cooldown == TimeSpan.Zero ? TimeSpan.FromSeconds(30) : scenario.Cooldown };
        var run = new BlockRun(cooling);
        var random = new Random(seed);
        var capacity = run.Allocator.Capacity;
        if (capacity == 0)
        {
            Assert.Throws<PoolExhaustedException>(() => run.Allocator.Allocate("any", AllocationAttributes.None));
            return;
        }

        var first = Enumerable.Range(0, random.Next(1, capacity + 1))
            .Select(i => run.Allocator.Allocate($"first-{i}", AllocationAttributes.None))
            .ToList();
        var releasedInOrder = first.Where(_ => random.Next(2) == 0).OrderBy(_ => random.Next()).ToList();
        foreach (var record in releasedInOrder)
        {
            Assert.True(run.Allocator.Release(record.Address, record.Sequence));
            // Distinct release times, all still inside the cooldown when the block fills up.
            run.Time.Advance(TimeSpan.FromTicks(cooling.Cooldown.Ticks / (2 * (releasedInOrder.Count + 1))));
        }

        var neverUsed = capacity - first.Count;
        var fresh = Enumerable.Range(0, neverUsed)
            .Select(i => run.Allocator.Allocate($"fresh-{i}", AllocationAttributes.None).Address)
            .ToList();
        var reused = releasedInOrder
            .Select((_, i) => run.Allocator.Allocate($"reused-{i}", AllocationAttributes.None).Address)
            .ToList();

        Assert.DoesNotContain(fresh, address => releasedInOrder.Any(r => r.Address.Equals(address)));
        Assert.Equal(releasedInOrder.Select(r => r.Address), reused);
        Assert.Throws<PoolExhaustedException>(() => run.Allocator.Allocate("over", AllocationAttributes.None));
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Release_StaleSequence_NeverFreesReissuedAddress(BlockCase c)
    {
        var run = new BlockRun(c.Scenario);
        foreach (var op in c.Ops)
        {
            run.Apply(op);
        }

        run.Allocator.ReleaseByHandle("old-owner");
        run.Allocator.ReleaseByHandle("new-owner");
        if (run.Allocator.Free == 0)
        {
            return;
        }

        var old = run.Allocator.Allocate("old-owner", AllocationAttributes.None);
        Assert.Single(run.Allocator.ReleaseByHandle("old-owner"));
        var reissued = run.Allocator.AllocateSpecific(old.Address, "new-owner", AllocationAttributes.None);

        Assert.True(reissued.Sequence > old.Sequence, $"sequence {reissued.Sequence} after {old.Sequence}");
        Assert.False(run.Allocator.Release(old.Address, old.Sequence));
        Assert.Equal(reissued, run.Allocator.FindByAddress(old.Address));
        Assert.True(run.Allocator.Release(old.Address, reissued.Sequence));
        Assert.Null(run.Allocator.FindByAddress(old.Address));
    }
}
