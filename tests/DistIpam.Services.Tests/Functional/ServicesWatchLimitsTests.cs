using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>Bounded history and bounded per-watcher buffers.</summary>
public sealed class ServicesWatchLimitsTests(ServicesLimitsFixture fixture) : IClassFixture<ServicesLimitsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly Api.V1.Services.ServicesClient _services = fixture.Services;

    [Fact]
    public async Task Watch_VersionOlderThanHistory_OutOfRangeAndListWorks()
    {
        var ns = Svc.UniqueNamespace("old");
        var first = await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "a") });
        for (var i = 0; i < 60; i++)
        {
            await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "a", Svc.Endpoint("pod-1", $"10.1.0.{i + 1}")));
        }

        await using var watch = WatchSession.Start(_services, new WatchRequest { FromVersion = first.Version, Namespace = ns });
        var failure = await Assert.ThrowsAsync<RpcException>(() => watch.NextAsync(Deadline));

        Assert.Equal(StatusCode.OutOfRange, failure.StatusCode);
        Assert.Contains("older than the retained history", failure.Status.Detail, StringComparison.Ordinal);
        var list = await _services.ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = ns, Service = "a" });
        Assert.Equal("10.1.0.60", Assert.Single(Assert.Single(list.Slices).Endpoints).Addresses[0]);
    }

    [Fact]
    public async Task Watch_VersionNewerThanNewest_OutOfRange()
    {
        await using var watch = WatchSession.Start(_services, new WatchRequest { FromVersion = 1_000_000_000 });

        var failure = await Assert.ThrowsAsync<RpcException>(() => watch.NextAsync(Deadline));

        Assert.Equal(StatusCode.OutOfRange, failure.StatusCode);
        Assert.Contains("newer than the newest", failure.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_SlowWatcher_DroppedWithResourceExhaustedWhileWritersAndFastWatcherProceed()
    {
        var ns = Svc.UniqueNamespace("slow");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "a") });
        var big = Enumerable.Range(0, 100).Select(i => Svc.Endpoint($"pod-{i}", $"10.3.0.{i + 1}")).ToArray();
        var start = await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "a", big));
        var from = start.Slices[0].Version;

        // Not read until the end: its HTTP/2 window fills, the server's writes to it stop, its buffer fills.
        using var slowChannel = fixture.Server.CreateChannel();
        using var slow = new Api.V1.Services.ServicesClient(slowChannel).Watch(new WatchRequest { FromVersion = from, Namespace = ns });
        using var fastChannel = fixture.Server.CreateChannel();
        await using var fast = WatchSession.Start(new Api.V1.Services.ServicesClient(fastChannel), new WatchRequest { FromVersion = from, Namespace = ns });
        var dropped = await DroppedAsync();

        long last = 0;
        for (var i = 0; i < 300; i++)
        {
            var changed = Svc.Endpoint("pod-0", "10.3.0.1");
            changed.Zone = "zone-" + i.ToString(CultureInfo.InvariantCulture);
            last = (await _services.UpsertEndpointsAsync(Svc.Upsert(ns, "a", changed))).Slices[0].Version;
        }

        await fast.UntilAsync(e => e.Version >= last, Deadline);
        await Poll.UntilAsync(async () => await DroppedAsync() > dropped ? null : "no watcher dropped yet", Deadline, "the slow watcher to be dropped");
        var received = 0;
        var failure = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await slow.ResponseStream.MoveNext(CancellationToken.None))
            {
                received++;
            }
        });

        Assert.Equal(StatusCode.ResourceExhausted, failure.StatusCode);
        Assert.Contains("watcher too slow", failure.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"more than {ServicesLimitsFixture.WatcherBuffer} events", failure.Status.Detail, StringComparison.Ordinal);
        Assert.True(received < 300, $"the slow watcher got {received} events before it was dropped");
    }

    private async Task<double> DroppedAsync()
    {
        using var http = fixture.Server.CreateHttpClient();
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("distipam_service_watchers_dropped", StringComparison.Ordinal) && !l.StartsWith('#'));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
