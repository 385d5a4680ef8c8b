using DistIpam.Api.V1;

namespace DistIpam.Services.Tests.Functional;

/// <summary>Watch: events in version order from a List, initial state, bookmarks, replay from zero.</summary>
public sealed class ServicesWatchTests(ServicesServerFixture fixture) : IClassFixture<ServicesServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly Api.V1.Services.ServicesClient _services = fixture.Services;

    [Fact]
    public async Task Watch_FromListVersion_SeesCreateEndpointsAndDeleteInOrder()
    {
        var ns = Svc.UniqueNamespace("watch");
        var list = await _services.ListServicesAsync(new ListServicesRequest { Namespace = ns });
        await using var watch = WatchSession.Start(_services, new WatchRequest { FromVersion = list.Version, Namespace = ns });

        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "web") });
        await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "web", Svc.Endpoint("pod-1", "10.1.0.1")));
        await _services.DeleteServiceAsync(new DeleteServiceRequest { Namespace = ns, Name = "web" });
        var events = await watch.UntilAsync(e => e.Type == WatchEvent.Types.Type.Deleted && e.ObjectCase == WatchEvent.ObjectOneofCase.Service, Deadline);

        Assert.Equal(
            ["Added service web", "Added slice web-v4-1", "Deleted slice web-v4-1", "Deleted service web"],
            events.Select(e => WatchSession.Describe(e)[..WatchSession.Describe(e).LastIndexOf(' ')]));
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Version < p.Second.Version));
        Assert.Equal("10.1.0.1", events[1].Slice.Endpoints[0].Addresses[0]);
    }

    [Fact]
    public async Task Watch_SendInitialEvents_StateThenMarkerThenChanges()
    {
        var ns = Svc.UniqueNamespace("watch");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "a") });
        await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "a", Svc.Endpoint("pod-1", "10.1.0.1")));
        await using var watch = WatchSession.Start(_services, new WatchRequest { SendInitialEvents = true, Namespace = ns });

        var initial = await watch.UntilAsync(e => e.Type == WatchEvent.Types.Type.InitialEventsEnd, Deadline);
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "b") });
        var next = await watch.UntilAsync(e => e.Type == WatchEvent.Types.Type.Added, Deadline);

        Assert.Equal(["Added service a", "Added slice a-v4-1", "InitialEventsEnd  v" + initial[^1].Version], initial.Select(e => WatchSession.Describe(e)[..(e.Type == WatchEvent.Types.Type.InitialEventsEnd ? WatchSession.Describe(e).Length : WatchSession.Describe(e).LastIndexOf(' '))]));
        Assert.Equal("b", Assert.Single(next).Service.Name);
        Assert.True(next[0].Version > initial[^1].Version);
    }

    [Fact]
    public async Task Watch_Idle_BookmarksCarryTheVersion()
    {
        var ns = Svc.UniqueNamespace("watch");
        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "a") });
        await using var watch = WatchSession.Start(_services, new WatchRequest { Namespace = ns, FromVersion = created.Version - 1 });

        await watch.UntilAsync(e => e.Type == WatchEvent.Types.Type.Added, Deadline);
        WatchEvent bookmark;
        do
        {
            bookmark = await watch.NextAsync(Deadline);
        }
        while (bookmark.Type != WatchEvent.Types.Type.Bookmark);

        Assert.True(bookmark.Version >= created.Version, $"bookmark at {bookmark.Version}, service at {created.Version}");
        Assert.Equal(WatchEvent.ObjectOneofCase.None, bookmark.ObjectCase);
    }

    [Fact]
    public async Task Watch_FromZero_ReplayEndsEqualToList()
    {
        var ns = Svc.UniqueNamespace("watch");
        var service = Svc.Of(ns, "a", policy: IpFamilyPolicy.PreferDualStack);
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });
        await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "a", Svc.Endpoint("pod-1", "10.1.0.1", "fd00:1::1"), Svc.Endpoint("pod-2", "10.1.0.2")));
        service.Labels["v"] = "2";
        await _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service });
        await _services.RemoveEndpointsAsync(new RemoveEndpointsRequest { Namespace = ns, Service = "a", Targets = { "pod-1" } });
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "b") });
        await _services.DeleteServiceAsync(new DeleteServiceRequest { Namespace = ns, Name = "b" });
        var services = await _services.ListServicesAsync(new ListServicesRequest { Namespace = ns });
        var slices = await _services.ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = ns });
        await using var watch = WatchSession.Start(_services, new WatchRequest { FromVersion = 0, Namespace = ns });

        var replay = new WatchReplay();
        replay.ApplyUntil(await watch.UntilAsync(e => e.Version >= Math.Max(services.Version, slices.Version), Deadline));

        Assert.Equal(WatchReplay.Of(services, slices), replay.Objects);
    }

    [Fact]
    public async Task Watch_InitialEventsDuringWrites_NoObjectSentTwiceOrOlder()
    {
        var ns = Svc.UniqueNamespace("watch");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "a", policy: IpFamilyPolicy.PreferDualStack) });
        var writer = Task.Run(async () =>
        {
            long last = 0;
            for (var i = 0; i < 40; i++)
            {
                var response = await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "a", Svc.Endpoint($"pod-{i % 5}", $"10.1.0.{i + 1}", $"fd00:1::{i + 1:x}")));
                last = response.Slices.Max(s => s.Version);
            }

            return last;
        });
        await using var watch = WatchSession.Start(_services, new WatchRequest { SendInitialEvents = true, Namespace = ns });
        var last = await writer;

        var events = await watch.UntilAsync(e => e.Version >= last && e.Type != WatchEvent.Types.Type.InitialEventsEnd, Deadline);

        var newest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => e.ObjectCase != WatchEvent.ObjectOneofCase.None))
        {
            var key = e.ObjectCase == WatchEvent.ObjectOneofCase.Service ? "svc " + e.Service.Name : "slice " + e.Slice.Name;
            Assert.True(!newest.TryGetValue(key, out var seen) || e.Version > seen, $"{key} sent at {e.Version} after {seen}");
            newest[key] = e.Version;
        }

        var slices = await _services.ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = ns, Service = "a" });
        Assert.All(slices.Slices, s => Assert.Equal(s.Version, newest["slice " + s.Name]));
    }
}
