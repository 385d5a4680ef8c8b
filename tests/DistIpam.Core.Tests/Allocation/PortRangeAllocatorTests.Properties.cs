using DistIpam.Core.Allocation;
using FsCheck.Xunit;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class PortRangeAllocatorTests
{
    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Operations_AnySequence_MatchModelNeverOutsideNeverTwice(PortRangeCase c)
    {
        RangeRun.RunOperations(new PortRangeUnderTest(new PortRangeAllocator(c.First, c.Last, new Random(c.Seed))), c.Ops);
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void SnapshotRestore_AnyPoint_RoundTripsAndBehavesIdentically(PortRangeCase c, int split)
    {
        RangeRun.RunSnapshotRestore(random => new PortRangeUnderTest(new PortRangeAllocator(c.First, c.Last, random)), c.Seed, c.Ops, split);
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Allocate_FreshRangeUntilFull_TakesUpperBandThenStaticBandThenThrowsExhausted(PortRangeCase c)
    {
        RangeRun.RunFreshFill(new PortRangeUnderTest(new PortRangeAllocator(c.First, c.Last, new Random(c.Seed))));
    }
}
