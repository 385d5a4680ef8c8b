using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// <c>distipam_releases_total{reason}</c> and the GC's metrics against a real server (scrape, act,
/// scrape): every path that frees addresses counts, under its reason. Dual-stack pods: two
/// addresses per handle. The GC has no grace and runs only when told; the reconciler is off
/// unless a test turns it on.
/// </summary>
public sealed class ReleaseMetricsTests : IAsyncLifetime
{
    private static readonly string[] LivePathReasons = ["del", "operator", "drain", "gc"];
    private ServerProcess? _server;

    private ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    private string Endpoint => $"127.0.0.1:{Server.GrpcPort}";

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new ServerProcessOptions
    {
        Name = "ctl-release-metrics",
        Arguments = ["--DistIpam:Gc:Enabled=false", "--DistIpam:Gc:Grace=00:00:00", "--DistIpam:Reconcile:Enabled=false"],
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_ReleasesByDelOperatorDrainAndGc_EachCountedUnderItsReason()
    {
        var http = Server.CreateHttpClient();
        using var client = new DistIpamClient(Endpoint);
        var (node, doomed) = (TestIds.Unique("node"), TestIds.Unique("node"));
        var network = TestIds.Unique("gcnet");
        var (del, byIp, onDoomed) = (TestIds.NewHandle(), TestIds.NewHandle(), TestIds.NewHandle());
        var leftOut = TestIds.NewHandle();
        leftOut.Network = network;
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = del, Node = node });
        var ip = (await client.Ipam.AllocateAsync(new AllocateRequest { Handle = byIp, Node = node })).Addresses[0].Address.Split('/')[0];
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = onDoomed, Node = doomed });
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = leftOut, Node = node });
        var before = await Scrape.GetAsync(http);

        await client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = del, Node = node });
        (await CtlRun.RunAsync(Endpoint, "release", "--ip", ip, "--reason", "ticket 7")).Expect(ExitCodes.Ok);
        await client.Nodes.DrainNodeAsync(new DrainNodeRequest { Node = doomed, Reason = "node deleted" });
        // A CNI GC leaving the handle out is deferred; the GC releases it at its second observation.
        await client.Ipam.GarbageCollectAsync(new GarbageCollectRequest { Network = network, Node = node });
        (await CtlRun.RunAsync(Endpoint, "gc", "run")).Expect(ExitCodes.Ok);
        var observed = await ScrapeUntilAsync(http, s => Scrape.Value(s, "distipam_gc_candidates", "kind=\"absent-from-cni-gc\"") == 1, "distipam_gc_candidates{kind=\"absent-from-cni-gc\"} = 1 after the first pass");
        (await CtlRun.RunAsync(Endpoint, "gc", "run")).Expect(ExitCodes.Ok);

        // Each path freed one dual-stack handle: 2 addresses under its reason.
        var after = await ScrapeUntilAsync(
            http,
            s => LivePathReasons.All(r => Releases(s, r) == Releases(before, r) + 2),
            "distipam_releases_total 2 more for each of del, operator, drain, gc");
        Assert.Equal(0, Scrape.Value(observed, "distipam_gc_candidates", "kind=\"expired-node\""));
        Assert.Equal(0, Scrape.Value(after, "distipam_gc_candidates", "kind=\"absent-from-cni-gc\""));
        Assert.Equal((Scrape.Value(before, "distipam_gc_addresses_released_total", "") ?? 0) + 2, Scrape.Value(after, "distipam_gc_addresses_released_total", ""));
    }

    [Fact]
    public async Task Metrics_PlantedLeaksRepairedByReportThenByTheReconciler_CountedAsOperatorThenReconcile()
    {
        var node = TestIds.Unique("node");
        await PlantLeakAsync(node, []);
        var reports = Directory.CreateTempSubdirectory("distipam-release-metrics-");
        try
        {
            var http = Server.CreateHttpClient();
            var report = Path.Combine(reports.FullName, "report.json");
            var before = await Scrape.GetAsync(http);
            (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", report)).Expect(ExitCodes.Ok);
            (await CtlRun.RunAsync(Endpoint, "release", "--from-report", report)).Expect(ExitCodes.Ok);

            await ScrapeUntilAsync(http, s => Releases(s, "operator") == Releases(before, "operator") + 2, "distipam_releases_total{reason=\"operator\"} 2 more after release --from-report");
        }
        finally
        {
            reports.Delete(recursive: true);
        }

        // Counters start again at 0 with the restart that turns the reconciler on.
        await PlantLeakAsync(node, ["--DistIpam:Reconcile:Enabled=true", "--DistIpam:Reconcile:Interval=00:00:00.300", "--DistIpam:Reconcile:Grace=00:00:00"]);
        await ScrapeUntilAsync(Server.CreateHttpClient(), s => Releases(s, "reconcile") == 2, "distipam_releases_total{reason=\"reconcile\"} = 2 once the reconciler freed the planted leak");
    }

    private static string Series(string scrape, string prefix) =>
        string.Join("; ", scrape.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>Scrapes until <paramref name="holds"/> (the exporter caches a scrape for a moment, and gauges follow passes).</summary>
    private static async Task<string> ScrapeUntilAsync(HttpClient http, Func<string, bool> holds, string expected)
    {
        var scrape = "";
        await Poll.UntilAsync(
            async () =>
            {
                scrape = await Scrape.GetAsync(http);
                return holds(scrape) ? null : $"{Series(scrape, "distipam_releases_total")}; {Series(scrape, "distipam_gc_")}";
            },
            TimeSpan.FromSeconds(20),
            expected);
        return scrape;
    }

    private static double Releases(string scrape, string reason) => Scrape.Value(scrape, "distipam_releases_total", $"reason=\"{reason}\"") ?? 0;

    /// <summary>A crash's leak: the blocks record a dual-stack allocation whose handle record is gone.</summary>
    private async Task PlantLeakAsync(string node, IReadOnlyList<string> restartArguments)
    {
        var leak = TestIds.NewHandle();
        using (var client = new DistIpamClient(Endpoint))
        {
            await client.Ipam.AllocateAsync(new AllocateRequest { Handle = leak, Node = node });
        }

        await Server.StopAsync();
        Assert.True(StoredState.Delete(Server.DataDir, "handle", leak.ContainerId) == 1, $"expected to delete the record of handle {TestIds.KeyOf(leak)}");
        await Server.RestartAsync(restartArguments, waitUntilReady: true);
    }
}
