using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>
/// A watch survives the loss of its server only by the client reconnecting with its last
/// version: kill the server mid-watch, change things while it is down and after it is back,
/// resume from the last version seen, and end equal to a fresh List.
/// </summary>
public sealed class ServicesWatchResumeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Watch_ServerKilledMidWatch_ResumeFromLastVersionEndsEqualToList()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "services-resume", Arguments = ["--DistIpam:Services:BookmarkInterval=00:00:01"] });
        var client = new Api.V1.Services.ServicesClient(server.CreateChannel());
        var ns = Svc.UniqueNamespace("resume");
        var replay = new WatchReplay();
        var watch = WatchSession.Start(client, new WatchRequest { SendInitialEvents = true, Namespace = ns });
        replay.ApplyUntil(await watch.UntilAsync(e => e.Type == WatchEvent.Types.Type.InitialEventsEnd, Deadline));

        await client.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "a", policy: IpFamilyPolicy.PreferDualStack) });
        var upserted = await client.UpsertEndpointsAsync(Svc.Upsert(ns, "a", Svc.Endpoint("pod-1", "10.1.0.1", "fd00:1::1")));
        replay.ApplyUntil(await watch.UntilAsync(e => e.ObjectCase == WatchEvent.ObjectOneofCase.Slice, Deadline));

        // Changes the watcher has not seen yet when its server dies.
        await client.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "b") });
        await client.UpsertEndpointsAsync(Svc.Upsert(ns, "a", Svc.Endpoint("pod-2", "10.1.0.2")));
        server.Kill();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while (true)
            {
                replay.Apply(await watch.NextAsync(Deadline));
            }
        });
        await watch.DisposeAsync();

        await server.RestartAsync();
        await client.DeleteServiceAsync(new DeleteServiceRequest { Namespace = ns, Name = "b" });
        await client.RemoveEndpointsAsync(new RemoveEndpointsRequest { Namespace = ns, Service = "a", Targets = { "pod-1" } });
        var services = await client.ListServicesAsync(new ListServicesRequest { Namespace = ns });
        var slices = await client.ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = ns });
        Assert.True(replay.Version >= upserted.Slices[0].Version && replay.Version < services.Version);

        await using var resumed = WatchSession.Start(client, new WatchRequest { FromVersion = replay.Version, Namespace = ns });
        replay.ApplyUntil(await resumed.UntilAsync(e => e.Version >= Math.Max(services.Version, slices.Version), Deadline));

        Assert.Equal(WatchReplay.Of(services, slices), replay.Objects);
        Assert.DoesNotContain(replay.Objects.Keys, k => k.Contains("/b", StringComparison.Ordinal));
    }
}
