using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>The NodePort grain: idempotency per holder and reconciliation of leaks.</summary>
public sealed class NodePortGrainTests(ServiceClusterFixture fixture, FaultyServiceClusterFixture faulty)
    : IClassFixture<ServiceClusterFixture>, IClassFixture<FaultyServiceClusterFixture>
{
    [Fact]
    public async Task AllocateAsync_StorageWriteFails_Unavailable()
    {
        var key = $"ports-{Guid.NewGuid():N}";
        var ports = faulty.Grains.GetGrain<INodePortGrain>(key);

        faulty.Storage.FailWrites(key);
        var error = await Record.ExceptionAsync(() => ports.AllocateAsync("shop/web", [], 1));
        faulty.Storage.Heal();

        Assert.Equal(IpamErrorKind.Unavailable, Assert.IsType<IpamGrainException>(error).Kind);
    }

    [Fact]
    public async Task AllocateAsync_SameHolderDynamicTwice_SamePortsOnlyThoseHeld()
    {
        var ports = fixture.Grains.GetGrain<INodePortGrain>($"ports-{Guid.NewGuid():N}");

        var first = await ports.AllocateAsync("shop/web", [], 2);
        var retried = await ports.AllocateAsync("shop/web", [], 2);

        Assert.Equal(first.Order(), retried.Order());
        var held = (await ports.ListAsync()).Where(h => h.Holder == "shop/web").Select(h => int.Parse(h.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(first.Order(), held.Order());
    }

    [Fact]
    public async Task AllocateAsync_HolderAsksMoreThanItHolds_KeepsItsPortsAndTakesOneMore()
    {
        var ports = fixture.Grains.GetGrain<INodePortGrain>($"ports-{Guid.NewGuid():N}");

        var first = await ports.AllocateAsync("shop/web", [], 1);
        var more = await ports.AllocateAsync("shop/web", [], 2);

        Assert.Contains(first[0], more);
        Assert.Equal(2, more.Distinct().Count());
        Assert.Equal(2, (await ports.ListAsync()).Count(h => h.Holder == "shop/web"));
    }

    [Fact]
    public async Task ReconcileAsync_PlantedLeak_KeptOnFirstPassFreedOnSecond()
    {
        var ports = fixture.Grains.GetGrain<INodePortGrain>($"ports-{Guid.NewGuid():N}");
        var leaked = await ports.AllocateAsync($"leak/{Guid.NewGuid():N}", [], 1);

        Assert.Empty(await ports.ReconcileAsync());
        Assert.Single(await ports.ListAsync());

        var freed = await ports.ReconcileAsync();

        Assert.Equal([leaked[0].ToString(System.Globalization.CultureInfo.InvariantCulture)], freed.Select(f => f.Value));
        Assert.Empty(await ports.ListAsync());
    }
}
