using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>/metrics changing as allocations happen (scrape, allocate, scrape), and <c>usage --forecast</c>; pools sampled every 300 ms.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private ServerProcess? _server;

    private ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    private string Endpoint => $"127.0.0.1:{Server.GrpcPort}";

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new ServerProcessOptions
    {
        Name = "ctl-metrics",
        Arguments = ["--DistIpam:Metrics:SampleInterval=00:00:00.300"],
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_ScrapeAllocateScrape_PoolNodeAndCounterMetricsGrow()
    {
        var http = Server.CreateHttpClient();
        var node = TestIds.Unique("node");
        var before = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var inUseBefore = Value(before, "distipam_pool_in_use", "pool=\"pods-v4\"") ?? 0;
        var allocationsBefore = Value(before, "distipam_allocations_total", "") ?? 0;
        using var client = new DistIpamClient(Endpoint);
        for (var i = 0; i < 3; i++)
        {
            await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = node });
        }

        var after = "";
        await Poll.UntilAsync(
            async () =>
            {
                after = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
                var inUse = Value(after, "distipam_pool_in_use", "pool=\"pods-v4\"");
                return inUse == inUseBefore + 3 ? null : $"distipam_pool_in_use{{pool=\"pods-v4\"}} = {inUse}";
            },
            TimeSpan.FromSeconds(20),
            $"distipam_pool_in_use{{pool=\"pods-v4\"}} = {inUseBefore + 3}");

        Assert.Equal(allocationsBefore + 6, Value(after, "distipam_allocations_total", ""));
        Assert.Equal(3, Value(after, "distipam_node_allocations", $"node=\"{node}\",pool=\"pods-v6\""));
        Assert.Equal(65536, Value(after, "distipam_pool_size", "pool=\"pods-v4\""));
        // A /26 holds 61 allocatable addresses (network, broadcast and gateway excluded); 3 are used.
        Assert.Equal(58, Value(after, "distipam_pool_stranded", "pool=\"pods-v4\""));
        Assert.NotNull(Value(after, "distipam_rpc_duration_seconds_count", "method=\"/distipam.v1.Ipam/Allocate\",status=\"OK\""));
        Assert.NotNull(Value(after, "distipam_pool_exhaustion_seconds", "pool=\"pods-v4\""));
        Assert.NotNull(Value(after, "distipam_service_watchers", ""));
    }

    [Fact]
    public async Task UsageForecast_PoolFilling_RateAndTimeToFull()
    {
        using var client = new DistIpamClient(Endpoint);
        var node = TestIds.Unique("node");
        var pool = TestIds.Unique("small");
        await client.Pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = pool, Cidr = "10.251.0.0/24", BlockPrefixLength = 28 } });
        (await CtlRun.RunAsync(Endpoint, "usage", "--forecast", "--pool", pool)).Expect(ExitCodes.Ok);
        for (var i = 0; i < 10; i++)
        {
            var request = new AllocateRequest { Handle = TestIds.NewHandle(), Node = node };
            request.Pools.Add(pool);
            await client.Ipam.AllocateAsync(request);
        }

        System.Text.Json.JsonElement forecast = default;
        await Poll.UntilAsync(
            async () =>
            {
                forecast = (await CtlRun.RunAsync(Endpoint, "usage", "--forecast", "--pool", pool, "-o", "json")).Expect(ExitCodes.Ok).Json().GetProperty("pools")[0];
                return forecast.GetProperty("secondsToFull").GetDouble() > 0 ? null : forecast.ToString();
            },
            TimeSpan.FromSeconds(20),
            "a positive time to full once two samples show growth");
        var table = (await CtlRun.RunAsync(Endpoint, "usage", "--forecast", "--pool", pool)).Expect(ExitCodes.Ok);

        Assert.Equal("10", forecast.GetProperty("inUse").ToString());
        Assert.True(forecast.GetProperty("ratePerHour").GetDouble() > 0);
        Assert.InRange(forecast.GetProperty("allocatable").GetDouble(), 200, 246);
        table.AssertOut($@"{pool}\s+256\s+10\s+");
    }

    [Fact]
    public async Task Metrics_WatchOpen_WatchersGaugeCountsIt()
    {
        var http = Server.CreateHttpClient();
        using var client = new DistIpamClient(Endpoint);
        using var watch = client.Services.Watch(new WatchRequest());

        await Poll.UntilAsync(
            async () =>
            {
                var watchers = Value(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "distipam_service_watchers", "");
                return watchers == 1 ? null : $"distipam_service_watchers = {watchers}";
            },
            TimeSpan.FromSeconds(20),
            "distipam_service_watchers = 1 while a watch is open");
    }

    private static double? Value(string scrape, string metric, string labels) => Scrape.Value(scrape, metric, labels);
}
