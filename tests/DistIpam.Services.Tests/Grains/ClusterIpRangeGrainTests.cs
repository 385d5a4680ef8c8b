using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>The ClusterIP range grain: idempotency per holder and reconciliation of leaks.</summary>
public sealed class ClusterIpRangeGrainTests(ServiceClusterFixture fixture, FaultyServiceClusterFixture faulty)
    : IClassFixture<ServiceClusterFixture>, IClassFixture<FaultyServiceClusterFixture>
{
    [Fact]
    public async Task AllocateAsync_StorageWriteFails_Unavailable()
    {
        var pool = $"range-{Guid.NewGuid():N}";
        var range = faulty.Grains.GetGrain<IClusterIpRangeGrain>(pool);

        faulty.Storage.FailWrites(pool);
        var error = await Record.ExceptionAsync(() => range.AllocateAsync(Cidr, "shop/web", null));
        faulty.Storage.Heal();

        Assert.Equal(IpamErrorKind.Unavailable, Assert.IsType<IpamGrainException>(error).Kind);
    }

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

    [Fact]
    public async Task ReconcileAsync_PlantedLeak_KeptOnFirstPassFreedOnSecond()
    {
        var range = fixture.Grains.GetGrain<IClusterIpRangeGrain>($"range-{Guid.NewGuid():N}");
        var leaked = await range.AllocateAsync(Cidr, $"leak/{Guid.NewGuid():N}", null);

        Assert.Empty(await range.ReconcileAsync());
        Assert.Contains(await range.ListAsync(), h => h.Value == leaked);

        var freed = await range.ReconcileAsync();

        Assert.Equal([leaked], freed.Select(f => f.Value));
        Assert.Empty(await range.ListAsync());
    }

    [Fact]
    public async Task ReconcileAsync_ServiceHoldsIt_Kept()
    {
        var pool = new ServicePool { Name = $"range-{Guid.NewGuid():N}", Cidr = Cidr, Family = 4 };
        var service = await fixture.Grains.GetGrain<IServiceGrain>(ServiceKey.Of("held", pool.Name[6..18])).CreateAsync(
            new ServiceRequest { Pools = [pool], Ports = [new ServicePortRecord { Port = 80 }] });
        var range = fixture.Grains.GetGrain<IClusterIpRangeGrain>(pool.Name);

        await range.ReconcileAsync();
        var freed = await range.ReconcileAsync();

        Assert.Empty(freed);
        Assert.Equal([new HeldValue { Value = service.ClusterIps[0], Holder = service.Key }], await range.ListAsync());
    }

    [Fact]
    public async Task ReconcileAsync_HolderAllocatesBetweenPasses_KeptUntilTwoMoreObservations()
    {
        var range = fixture.Grains.GetGrain<IClusterIpRangeGrain>($"range-{Guid.NewGuid():N}");
        var holder = $"retry/{Guid.NewGuid():N}";
        var leaked = await range.AllocateAsync(Cidr, holder, null);
        await range.ReconcileAsync();

        // A retried create took it again: it may be about to record it, so the first observation no longer counts.
        Assert.Equal(leaked, await range.AllocateAsync(Cidr, holder, null));

        Assert.Empty(await range.ReconcileAsync());
        Assert.Equal([leaked], (await range.ReconcileAsync()).Select(f => f.Value));
    }
}
