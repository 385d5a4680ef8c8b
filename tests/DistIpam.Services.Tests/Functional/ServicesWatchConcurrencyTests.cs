using System.Globalization;
using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>
/// A watch resumed from its last version ends equal to a fresh List while other clients keep
/// changing the same services: across a dropped stream, and across a kill -9 of the server with
/// changes in flight (their outcome unknown to their clients, but never to the feed).
/// </summary>
public sealed class ServicesWatchConcurrencyTests
{
    private const int Writers = 4;
    private const int OpsPerPhase = 12;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watch_ConcurrentWritersServerKilledAndStreamDropped_ResumeEndsEqualToList()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "services-concurrent", Arguments = ["--DistIpam:Services:BookmarkInterval=00:00:01"] });
        var client = new Api.V1.Services.ServicesClient(server.CreateChannel());
        var ns = Svc.UniqueNamespace("concurrent");
        for (var i = 0; i < Writers; i++)
        {
            await client.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, $"s{i}", policy: IpFamilyPolicy.PreferDualStack) });
        }

        var replay = new WatchReplay();
        var watch = WatchSession.Start(client, new WatchRequest { SendInitialEvents = true, Namespace = ns });
        replay.ApplyUntil(await watch.UntilAsync(e => e.Type == WatchEvent.Types.Type.InitialEventsEnd, Deadline));

        // Phase 1: writers run while the server is killed under them.
        var phase1 = StartWriters(client, ns, 0);
        var start = replay.Version;
        replay.ApplyUntil(await watch.UntilAsync(e => e.Version >= start + Writers, Deadline));
        server.Kill();
        await DrainUntilBrokenAsync(watch, replay);
        await watch.DisposeAsync();
        await Task.WhenAll(phase1);
        await server.RestartAsync();

        // A fresh channel, as a consumer reconnecting would have: the old one saw the server down and
        // may still be backing off (seconds, growing) when the restarted server is ready; its calls then
        // fail at once (UNAVAILABLE, seen in loaded full runs) and the writers below would write nothing.
        client = new Api.V1.Services.ServicesClient(server.CreateChannel());

        // Phase 2: resume from the last version while the writers run again, then drop that stream too.
        var phase2 = StartWriters(client, ns, 1);
        var resumed = WatchSession.Start(client, new WatchRequest { FromVersion = replay.Version, Namespace = ns });
        replay.ApplyUntil(await resumed.UntilAsync(e => e.Version > replay.Version, Deadline));
        await resumed.DisposeAsync();
        var again = WatchSession.Start(client, new WatchRequest { FromVersion = replay.Version, Namespace = ns });
        await Task.WhenAll(phase2);

        var services = await client.ListServicesAsync(new ListServicesRequest { Namespace = ns });
        var slices = await client.ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = ns });
        var target = Math.Max(services.Version, slices.Version);
        if (replay.Version < target)
        {
            replay.ApplyUntil(await again.UntilAsync(e => e.Version >= target, Deadline));
        }

        await again.DisposeAsync();
        Assert.Equal(WatchReplay.Of(services, slices), replay.Objects);
    }

    private static async Task DrainUntilBrokenAsync(WatchSession watch, WatchReplay replay)
    {
        try
        {
            while (true)
            {
                replay.Apply(await watch.NextAsync(Deadline));
            }
        }
        catch (RpcException)
        {
            // The stream broke with the server: what was received stays applied.
        }
    }

    // Each writer owns one service and churns its endpoints and labels; a failed call (the server
    // died under it) is not retried: its outcome is unknown, and only the List says what happened.
    private static Task[] StartWriters(Api.V1.Services.ServicesClient client, string ns, int phase) =>
        [.. Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var k = 0; k < OpsPerPhase; k++)
            {
                var pod = $"pod-{w}-{(k % 5).ToString(CultureInfo.InvariantCulture)}";
                try
                {
                    switch (k % 3)
                    {
                        case 0:
                        case 1:
                            await client.UpsertEndpointsAsync(Svc.Upsert(ns, $"s{w}", Svc.Endpoint(pod, $"10.9.{w}.{k + (phase * OpsPerPhase) + 1}")));
                            break;
                        default:
                            await client.RemoveEndpointsAsync(new RemoveEndpointsRequest { Namespace = ns, Service = $"s{w}", Targets = { $"pod-{w}-{((k + 2) % 5).ToString(CultureInfo.InvariantCulture)}" } });
                            break;
                    }
                }
                catch (RpcException)
                {
                    // Killed mid-call or down: stop this writer's phase.
                    return;
                }
            }
        }))];
}
