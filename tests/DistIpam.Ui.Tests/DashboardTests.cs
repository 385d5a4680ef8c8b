using System.Text.RegularExpressions;
using DistIpam.Api.V1;
using DistIpam.Client;

namespace DistIpam.Ui.Tests;

/// <summary>
/// /ui in headless Chromium against a server holding real allocations: pools with utilization,
/// the block map, nodes with lease state, recent events and an IP search with its history. The
/// screenshot goes to the test output (ui-screenshots/).
/// </summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private ServerProcess? _server;

    private ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new ServerProcessOptions
    {
        Name = "ui",
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
    public async Task Dashboard_ServerWithAllocations_ShowsPoolsBlocksNodesEventsAndSearch()
    {
        using var client = new DistIpamClient($"127.0.0.1:{Server.GrpcPort}");
        var alive = $"alive-{Guid.NewGuid():N}"[..14];
        var silent = $"silent-{Guid.NewGuid():N}"[..15];
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = alive });
        AllocateResponse? first = null;
        for (var i = 0; i < 4; i++)
        {
            var response = await client.Ipam.AllocateAsync(new AllocateRequest
            {
                Handle = new Handle { Network = "podnet", ContainerId = $"ui-{i}", Interface = "eth0" },
                Node = i < 3 ? alive : silent,
                Pod = new PodAttributes { Namespace = "shop", Name = $"web-{i}" },
            });
            first ??= response;
        }

        var address = first!.Addresses[0].Address.Split('/')[0];
        var block = first.Addresses[0].Block;
        var page = new Uri(Server.HttpAddress, $"/ui#ip={address}");
        var dom = "";
        await Poll.UntilAsync(
            async () =>
            {
                dom = await HeadlessChromium.DumpDomAsync(page);
                return dom.Contains("data-loaded=\"true\"", StringComparison.Ordinal) && dom.Contains("held by", StringComparison.Ordinal) ? null : "page not loaded";
            },
            TimeSpan.FromSeconds(60),
            "the dashboard to load and search the address");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "ui-screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await HeadlessChromium.ScreenshotAsync(page, screenshot);

        Assert.Matches(new Regex(@"<tr data-pool=""pods-v4""><td>pods-v4</td><td><span><span class=""bar""><span style=""width: [0-9.]+%;""></span></span>"), dom);
        Assert.Matches(new Regex($@"data-block=""{Regex.Escape(block)}""[^>]*>{Regex.Escape(block)} {alive} 3/61<"), dom);
        Assert.Matches(new Regex($@"<tr data-node=""{alive}""><td>{alive}</td><td><span class=""lease-alive"">alive</span>"), dom);
        Assert.Matches(new Regex($@"<tr data-node=""{silent}""><td>{silent}</td><td><span class=""lease-unknown"">unknown</span>"), dom);
        Assert.Contains($"held by podnet/ui-0/eth0 (pod shop/web-0, node {alive})", dom, StringComparison.Ordinal);
        Assert.Matches(new Regex($@"<td>allocated</td><td>{Regex.Escape(address)}</td><td>podnet/ui-0/eth0</td>"), dom);
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"expected a screenshot at {screenshot}");
    }

    [Fact]
    public async Task Page_ScriptsAndStyles_ServedByTheServerNotACdn()
    {
        using var http = Server.CreateHttpClient();

        var html = await http.GetStringAsync(new Uri("/ui", UriKind.Relative));
        var script = await http.GetStringAsync(new Uri("/ui/app.js", UriKind.Relative));

        Assert.DoesNotMatch(new Regex(@"(src|href)=""(https?:)?//"), html);
        Assert.Contains("/ui/api/forecast", script, StringComparison.Ordinal);
    }
}
