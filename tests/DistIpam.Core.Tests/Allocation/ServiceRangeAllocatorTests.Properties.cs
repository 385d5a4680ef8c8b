using DistIpam.Core.Allocation;
using FsCheck.Xunit;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class ServiceRangeAllocatorTests
{
    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Operations_AnySequence_MatchModelNeverNetworkOrBroadcastNeverTwice(ServiceRangeCase c)
    {
        RangeRun.RunOperations(new ServiceRangeUnderTest(new ServiceRangeAllocator(c.Range, new Random(c.Seed))), c.Ops);
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void SnapshotRestore_AnyPoint_RoundTripsAndBehavesIdentically(ServiceRangeCase c, int split)
    {
        RangeRun.RunSnapshotRestore(random => new ServiceRangeUnderTest(new ServiceRangeAllocator(c.Range, random)), c.Seed, c.Ops, split);
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(AllocatorArbitraries) })]
    public void Allocate_FreshRangeUntilFull_TakesUpperBandThenStaticBandThenThrowsExhausted(ServiceRangeCase c)
    {
        RangeRun.RunFreshFill(new ServiceRangeUnderTest(new ServiceRangeAllocator(c.Range, new Random(c.Seed))));
    }
}
