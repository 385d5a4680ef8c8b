using DistIpam.Grains.Pools;
using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>
/// The reconciliation pass, the one call the server makes: durable changes a dead silo never
/// published reach the feed, and ClusterIPs and NodePorts no service holds are freed.
/// </summary>
public sealed class ServiceReconcilerGrainTests(FaultyServiceClusterFixture fixture) : IClassFixture<FaultyServiceClusterFixture>
{
    [Fact]
    public async Task ReconcileAsync_PlantedUnpublishedChange_InTheFeedAfterThePass()
    {
        var key = ServiceKey.Of("orphans", $"svc-{Guid.NewGuid():N}"[..20]);
        var (ns, name) = ServiceKey.Parse(key);
        var record = new ServiceRecord { Namespace = ns, Name = name, Type = ServiceType.Headless, Families = [4] };
        var feed = fixture.Grains.GetGrain<IServiceFeedGrain>(IServiceFeedGrain.Key);
        var before = (await feed.ReadAsync(long.MaxValue, 0)).Latest;

        // What a silo leaves when it dies after the service's state write and before its append.
        fixture.Storage.Plant("service", GrainId.Create("service", key), new ServiceState
        {
            Record = record,
            Unpublished = [new ServiceEvent { Batch = Guid.NewGuid(), Type = ServiceEventType.Added, Service = record }],
        });
        await fixture.Grains.GetGrain<IServiceIndexGrain>(IServiceIndexGrain.Key).AddAsync(key);

        await fixture.Grains.GetGrain<IServiceReconcilerGrain>(IServiceReconcilerGrain.Key).ReconcileAsync();

        var events = (await feed.ReadAsync(before, 1000)).Events.Where(e => e.Service?.Key == key).ToList();
        Assert.Equal([ServiceEventType.Added], events.Select(e => e.Type));
        Assert.Equal(events[0].Version, (await fixture.Grains.GetGrain<IServiceGrain>(key).GetAsync())!.Service.Version);
    }

    [Fact]
    public async Task ReconcileAsync_PlantedLeaksInCatalogPoolAndNodePorts_FreedOnSecondPassHeldOnesKept()
    {
        var pool = $"recon-{Guid.NewGuid():N}"[..16];
        await fixture.Grains.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key).CreateAsync(
            new PoolDefinition { Name = pool, Cidr = "10.250.128.0/24", BlockPrefixLength = 24, Kind = 2 });
        var kept = await fixture.Grains.GetGrain<IServiceGrain>(ServiceKey.Of("recon", pool)).CreateAsync(new ServiceRequest
        {
            Type = ServiceType.NodePort,
            Pools = [new ServicePool { Name = pool, Cidr = "10.250.128.0/24", Family = 4 }],
            Ports = [new ServicePortRecord { Port = 80 }],
        });
        var ghost = $"recon/ghost-{Guid.NewGuid():N}"[..24];
        var leakedIp = await fixture.Grains.GetGrain<IClusterIpRangeGrain>(pool).AllocateAsync("10.250.128.0/24", ghost, null);
        var leakedPort = (await fixture.Grains.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange).AllocateAsync(ghost, [], 1))[0];
        var reconciler = fixture.Grains.GetGrain<IServiceReconcilerGrain>(IServiceReconcilerGrain.Key);

        var first = await reconciler.ReconcileAsync();
        var second = await reconciler.ReconcileAsync();

        Assert.Empty(first.Failures);
        Assert.DoesNotContain(first.FreedClusterIps, f => f.Holder == ghost);
        Assert.Equal([$"{pool}/{leakedIp}"], second.FreedClusterIps.Where(f => f.Holder == ghost).Select(f => f.Value));
        Assert.Equal([leakedPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], second.FreedNodePorts.Where(f => f.Holder == ghost).Select(f => f.Value));
        Assert.Equal([kept.ClusterIps[0]], (await fixture.Grains.GetGrain<IClusterIpRangeGrain>(pool).ListAsync()).Select(h => h.Value));
        Assert.Contains(await fixture.Grains.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange).ListAsync(), h => h.Holder == kept.Key);
    }
}
