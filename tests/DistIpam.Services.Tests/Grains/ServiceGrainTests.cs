using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Services;

namespace DistIpam.Services.Tests.Grains;

/// <summary>
/// The service grain under storage faults: the feed never carries a change storage does not hold,
/// a durable change always reaches the feed, and storage failures are Unavailable (retryable).
/// </summary>
public sealed class ServiceGrainTests(FaultyServiceClusterFixture fixture) : IClassFixture<FaultyServiceClusterFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly EndpointRecord Pod = new() { Target = "pod-1", Addresses = ["10.1.0.1"] };

    private IServiceFeedGrain Feed => fixture.Grains.GetGrain<IServiceFeedGrain>(IServiceFeedGrain.Key);

    [Fact]
    public async Task UpsertEndpointsAsync_StateWriteFails_NoWatcherSeesTheChange()
    {
        var (key, service) = await CreateAsync();
        var before = await LatestAsync();

        fixture.Storage.FailWrites(key);
        await Assert.ThrowsAnyAsync<Exception>(() => service.UpsertEndpointsAsync([Pod]));
        fixture.Storage.Heal();

        Assert.Equal([], (await EventsOfAsync(key, before)).Select(e => $"{e.Type} {e.Slice?.Name} v{e.Version}"));
        Assert.Empty((await service.GetAsync())!.Slices);
    }

    [Fact]
    public async Task UpsertEndpointsAsync_StateWriteFails_Unavailable()
    {
        var (key, service) = await CreateAsync();

        fixture.Storage.FailWrites(key);
        var error = await Record.ExceptionAsync(() => service.UpsertEndpointsAsync([Pod]));
        fixture.Storage.Heal();

        Assert.Equal(IpamErrorKind.Unavailable, Assert.IsType<IpamGrainException>(error).Kind);
    }

    [Fact]
    public async Task UpsertEndpointsAsync_WriteLandsThenFails_NextActivationPublishesIt()
    {
        var (key, service) = await CreateAsync();
        var before = await LatestAsync();

        fixture.Storage.FailWrites(key, landThenFail: true);
        var error = await Assert.ThrowsAsync<IpamGrainException>(() => service.UpsertEndpointsAsync([Pod]));
        fixture.Storage.Heal();

        Assert.Equal(IpamErrorKind.Unavailable, error.Kind);
        await Poll.UntilAsync(
            async () =>
            {
                var snapshot = await service.GetAsync();
                var events = await EventsOfAsync(key, before);
                return snapshot!.Slices.Count == 1 && events.Any(e => e.Slice?.Endpoints.Count == 1)
                    ? null
                    : $"{snapshot.Slices.Count} slice(s) stored, {events.Count} event(s) in the feed";
            },
            Deadline,
            "the landed change stored and in the feed");
    }

    [Fact]
    public async Task UpsertEndpointsAsync_FeedWriteFails_DurableChangeReachesTheFeedWithoutAnotherCall()
    {
        var (key, service) = await CreateAsync();
        var before = await LatestAsync();

        fixture.Storage.FailWrites("servicefeed/");
        var error = await Assert.ThrowsAsync<IpamGrainException>(() => service.UpsertEndpointsAsync([Pod]));
        fixture.Storage.Heal();

        Assert.Equal(IpamErrorKind.Unavailable, error.Kind);
        await Poll.UntilAsync(
            async () => (await EventsOfAsync(key, before)) is { Count: > 0 } events && events.All(e => e.Slice?.Endpoints.Count == 1)
                ? null
                : "no slice event in the feed",
            Deadline,
            "the durable upsert published by the grain's retry");
        Assert.Single((await service.GetAsync())!.Slices);
    }

    [Fact]
    public async Task CreateAsync_IndexWriteFails_UnavailableAndClusterIpGivenBack()
    {
        var key = ServiceKey.Of("faults", $"svc-{Guid.NewGuid():N}"[..20]);
        var pool = new ServicePool { Name = $"idx-{Guid.NewGuid():N}"[..16], Cidr = "10.253.0.0/24", Family = 4 };

        fixture.Storage.FailWrites("serviceindex/");
        var error = await Record.ExceptionAsync(() => fixture.Grains.GetGrain<IServiceGrain>(key).CreateAsync(
            new ServiceRequest { Pools = [pool], Ports = [new ServicePortRecord { Port = 80 }] }));
        fixture.Storage.Heal();

        Assert.Equal(IpamErrorKind.Unavailable, Assert.IsType<IpamGrainException>(error).Kind);
        Assert.Empty(await fixture.Grains.GetGrain<IClusterIpRangeGrain>(pool.Name).ListAsync());
    }

    [Fact]
    public async Task CreateAsync_DualStackSecondFamilyRefusedAndRollbackWriteFails_ReconciliationGivesTheFirstBack()
    {
        var v4 = new ServicePool { Name = $"dual4-{Guid.NewGuid():N}"[..16], Cidr = "10.254.0.0/24", Family = 4 };
        var v6 = new ServicePool { Name = $"dual6-{Guid.NewGuid():N}"[..16], Cidr = "fd00:254::/120", Family = 6 };
        await fixture.Grains.GetGrain<IServiceGrain>(ServiceKey.Of("faults", $"taker-{Guid.NewGuid():N}"[..20])).CreateAsync(
            new ServiceRequest { Pools = [v6], ClusterIps = ["fd00:254::10"], Ports = [new ServicePortRecord { Port = 80 }] });
        var range = fixture.Grains.GetGrain<IClusterIpRangeGrain>(v4.Name);

        // The v4 allocation's write passes, the rollback's release write fails.
        var failedBefore = fixture.Storage.FailedWrites;
        fixture.Storage.FailWrites(v4.Name, skip: 1);
        var error = await Record.ExceptionAsync(() => fixture.Grains.GetGrain<IServiceGrain>(ServiceKey.Of("faults", $"dual-{Guid.NewGuid():N}"[..20])).CreateAsync(
            new ServiceRequest
            {
                Policy = IpFamilyPolicy.RequireDualStack,
                Families = [4, 6],
                Pools = [v4, v6],
                ClusterIps = ["10.254.0.20", "fd00:254::10"],
                Ports = [new ServicePortRecord { Port = 80 }],
            }));
        fixture.Storage.Heal();

        Assert.Equal(IpamErrorKind.AlreadyExists, Assert.IsType<IpamGrainException>(error).Kind);
        Assert.Equal(failedBefore + 1, fixture.Storage.FailedWrites);
        Assert.Single(await range.ListAsync());

        await range.ReconcileAsync();
        await range.ReconcileAsync();

        Assert.Empty(await range.ListAsync());
    }

    [Fact]
    public async Task CreateAsync_RetriedAfterFailedStateWrite_OneClusterIpAndNodePortHeld()
    {
        var key = ServiceKey.Of("faults", $"retry-{Guid.NewGuid():N}"[..20]);
        var pool = new ServicePool { Name = $"retry-{Guid.NewGuid():N}"[..16], Cidr = "10.255.0.0/24", Family = 4 };
        var request = new ServiceRequest { Type = ServiceType.NodePort, Pools = [pool], Ports = [new ServicePortRecord { Port = 80 }] };
        var service = fixture.Grains.GetGrain<IServiceGrain>(key);

        fixture.Storage.FailWrites(key);
        await Assert.ThrowsAnyAsync<Exception>(() => service.CreateAsync(request));
        fixture.Storage.Heal();
        var created = await service.CreateAsync(request);

        Assert.Equal([new HeldValue { Value = created.ClusterIps[0], Holder = key }], await fixture.Grains.GetGrain<IClusterIpRangeGrain>(pool.Name).ListAsync());
        var ports = (await fixture.Grains.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange).ListAsync()).Where(h => h.Holder == key);
        Assert.Equal([created.Ports[0].NodePort.ToString(System.Globalization.CultureInfo.InvariantCulture)], ports.Select(h => h.Value));
    }

    [Fact]
    public async Task PublishPendingAsync_BatchAlreadyInFeed_NotAppendedTwice()
    {
        var (key, service) = await CreateAsync();
        var before = await LatestAsync();
        await service.UpsertEndpointsAsync([Pod]);

        Assert.False(await service.PublishPendingAsync());
        var batch = (await EventsOfAsync(key, before)).Single().Batch;
        Assert.Equal(await Feed.AppendAsync([new ServiceEvent { Batch = batch, Type = ServiceEventType.Modified, Slice = (await service.GetAsync())!.Slices[0] }]), [before + 1]);
        Assert.Single(await EventsOfAsync(key, before));
    }

    private async Task<(string Key, IServiceGrain Service)> CreateAsync()
    {
        var name = $"svc-{Guid.NewGuid():N}"[..20];
        var key = ServiceKey.Of("faults", name);
        var service = fixture.Grains.GetGrain<IServiceGrain>(key);
        await service.CreateAsync(new ServiceRequest
        {
            Pools = [new ServicePool { Name = "faults-v4", Cidr = "10.252.0.0/24", Family = 4 }],
            Ports = [new ServicePortRecord { Port = 80 }],
        });
        return (key, service);
    }

    private async Task<long> LatestAsync() => (await Feed.ReadAsync(long.MaxValue, 0)).Latest;

    private async Task<List<ServiceEvent>> EventsOfAsync(string key, long after)
    {
        var page = await Feed.ReadAsync(after, 1000);
        return [.. page.Events.Where(e => (e.Service?.Key ?? $"{e.Slice!.Namespace}/{e.Slice.Service}") == key)];
    }
}
