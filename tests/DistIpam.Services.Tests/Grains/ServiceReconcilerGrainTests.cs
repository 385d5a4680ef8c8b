using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>The reconciliation pass: durable changes a dead silo never published reach the feed.</summary>
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
}
