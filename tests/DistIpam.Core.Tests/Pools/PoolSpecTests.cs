using DistIpam.Core.Addressing;
using DistIpam.Core.Pools;

namespace DistIpam.Core.Tests.Pools;

public sealed class PoolSpecTests
{
    private static readonly PoolSpec Pods = new()
    {
        Name = "pods-v4",
        Cidr = IpPrefix.Parse("10.244.0.0/16"),
        BlockPrefixLength = 26,
        ReservedRanges = [IpRange.Parse("10.244.0.1-10.244.0.9")],
    };

    [Fact]
    public void Equals_SameReservedRangesInAnotherList_EqualWithSameHash()
    {
        var copy = Pods with { ReservedRanges = [.. Pods.ReservedRanges] };

        Assert.NotSame(Pods.ReservedRanges, copy.ReservedRanges);
        Assert.Equal(Pods, copy);
        Assert.Equal(Pods.GetHashCode(), copy.GetHashCode());
    }

    [Fact]
    public void Equals_AnyFieldChanged_NotEqual()
    {
        Assert.NotEqual(Pods, Pods with { ReservedRanges = [] });
        Assert.NotEqual(Pods, Pods with { ReservedRanges = [IpRange.Parse("10.244.0.1-10.244.0.8")] });
        Assert.NotEqual(Pods, Pods with { Name = "pods-v4-b" });
        Assert.NotEqual(Pods, Pods with { BlockPrefixLength = 27 });
        Assert.NotEqual(Pods, Pods with { StrictAffinity = true });
        Assert.NotEqual(Pods, Pods with { Wiring = PoolWiring.Routed });
    }

    [Fact]
    public void Defaults_UnsetOptionalFields_PodBridgedUnlimitedEnabled()
    {
        var spec = new PoolSpec { Name = "p", Cidr = IpPrefix.Parse("fd00::/64"), BlockPrefixLength = 122 };

        Assert.Equal(PoolKind.Pod, spec.Kind);
        Assert.Equal(PoolWiring.Bridged, spec.Wiring);
        Assert.Empty(spec.ReservedRanges);
        Assert.Equal(0, spec.MaxBlocksPerNode);
        Assert.False(spec.StrictAffinity);
        Assert.False(spec.Disabled);
        Assert.Equal(IpFamily.V6, spec.Family);
    }

    [Theory]
    [InlineData(IpFamily.V4, 26)]
    [InlineData(IpFamily.V6, 122)]
    public void DefaultBlockPrefixLength_Family_Is64Addresses(IpFamily family, int expected)
    {
        Assert.Equal(expected, PoolSpec.DefaultBlockPrefixLength(family));
    }
}
