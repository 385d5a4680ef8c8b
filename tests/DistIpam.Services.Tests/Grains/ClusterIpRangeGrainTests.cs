using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>The ClusterIP range grain: idempotency per holder and reconciliation of leaks.</summary>
public sealed class ClusterIpRangeGrainTests(ServiceClusterFixture fixture) : IClassFixture<ServiceClusterFixture>
{
    private const string Cidr = "10.251.0.0/24";

    [Fact]
    public async Task AllocateAsync_SameHolderTwice_SameAddressOneHeld()
    {
        var range = fixture.Grains.GetGrain<IClusterIpRangeGrain>($"range-{Guid.NewGuid():N}");

        var first = await range.AllocateAsync(Cidr, "shop/web", null);
        var retried = await range.AllocateAsync(Cidr, "shop/web", null);

        Assert.Equal(first, retried);
        var held = await range.ListAsync();
        Assert.Equal([new HeldValue { Value = first, Holder = "shop/web" }], held);
    }

    [Fact]
    public async Task AllocateAsync_TwoHolders_DifferentAddresses()
    {
        var range = fixture.Grains.GetGrain<IClusterIpRangeGrain>($"range-{Guid.NewGuid():N}");

        var a = await range.AllocateAsync(Cidr, "shop/a", null);
        var b = await range.AllocateAsync(Cidr, "shop/b", null);

        Assert.NotEqual(a, b);
        Assert.Equal(2, (await range.ListAsync()).Count);
    }
}
