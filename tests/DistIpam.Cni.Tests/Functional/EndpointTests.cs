using System.Net;
using System.Net.Sockets;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>Both endpoint kinds, failover in order, and the whole-call deadline.</summary>
[Collection(SharedServer.Name)]
public class EndpointTests(ServerFixture fixture)
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Add_UnixSocketEndpoint_Allocates() =>
        Assert.Equal(2, PluginRunner.Addresses(await fixture.Plugin.AddAsync(Config([fixture.UnixEndpoint]), TestIds.New("c"))).Count);

    [Fact]
    public async Task Add_TcpEndpoint_Allocates() =>
        Assert.Equal(2, PluginRunner.Addresses(await fixture.Plugin.AddAsync(Config([fixture.TcpEndpoint]), TestIds.New("c"))).Count);

    [Fact]
    public async Task Add_FirstEndpointDead_SecondUsed()
    {
        var outcome = await fixture.Plugin.RunAsync("ADD", Config([DeadUnixEndpoint(), fixture.TcpEndpoint]), TestIds.New("c"));

        outcome.AssertSuccess();
        Assert.Contains("no such socket", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_FirstTcpEndpointRefusing_SecondUsed()
    {
        var outcome = await fixture.Plugin.RunAsync("ADD", Config([$"http://127.0.0.1:{ClosedPort()}", fixture.UnixEndpoint]), TestIds.New("c"));

        outcome.AssertSuccess();
    }

    [Fact]
    public async Task Add_FirstEndpointHung_SecondUsedWithinDeadline()
    {
        using var hung = new SilentListener();
        var config = Config([hung.Endpoint, fixture.UnixEndpoint], timeoutSeconds: 4);

        var outcome = await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"));

        outcome.AssertSuccess();
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(4) + Slack, outcome.Describe());
    }

    [Fact]
    public async Task Add_AllEndpointsDead_Code11WithinDeadline()
    {
        var outcome = await fixture.Plugin.RunAsync("ADD", Config([DeadUnixEndpoint(), $"http://127.0.0.1:{ClosedPort()}"], timeoutSeconds: 1.5), TestIds.New("c"));

        outcome.AssertError(11, "Allocate");
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(1.5) + Slack, $"took longer than the deadline plus {Slack}; {outcome.Describe()}");
    }

    [Fact]
    public async Task Add_OnlyEndpointHung_Code11WithinDeadline()
    {
        using var hung = new SilentListener();

        var outcome = await fixture.Plugin.RunAsync("ADD", Config([hung.Endpoint], timeoutSeconds: 1.5), TestIds.New("c"));

        outcome.AssertError(11);
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(1.5) + Slack, $"took longer than the deadline plus {Slack}; {outcome.Describe()}");
    }

    [Fact]
    public async Task Del_AllEndpointsDead_Code11()
    {
        var outcome = await fixture.Plugin.RunAsync("DEL", Config([DeadUnixEndpoint()], timeoutSeconds: 1), TestIds.New("c"));

        outcome.AssertError(11, "Release");
    }

    [Fact]
    public async Task Add_NodeNameFromEnvironment_AllocatedOnThatNode()
    {
        var node = TestIds.New("node-env");
        var config = Config([fixture.UnixEndpoint]);
        config["ipam"]!.AsObject().Remove("nodeName");

        var outcome = await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"), extraEnvironment: new Dictionary<string, string?> { ["DISTIPAM_NODE_NAME"] = node });

        outcome.AssertSuccess();
        var usage = await fixture.Pools.GetUsageAsync(new GetUsageRequest { Node = node });
        Assert.Equal(2, usage.Nodes.Where(n => n.Node == node).Sum(n => n.Allocated));
    }

    [Fact]
    public async Task Add_BadNodeNameInEnvironment_Code7NamingVariable()
    {
        var config = Config([fixture.UnixEndpoint]);
        config["ipam"]!.AsObject().Remove("nodeName");

        var outcome = await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"), extraEnvironment: new Dictionary<string, string?> { ["DISTIPAM_NODE_NAME"] = "node/bad" });

        outcome.AssertError(7, "DISTIPAM_NODE_NAME");
    }

    private static string DeadUnixEndpoint() => CniConfig.Unix(Path.Combine(Path.GetTempPath(), $"{TestIds.New("dead")}.sock"));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static System.Text.Json.Nodes.JsonObject Config(IEnumerable<string> endpoints, double timeoutSeconds = 20) =>
        CniConfig.Distipam("1.0.0", "epnet", endpoints, "node-ep", timeoutSeconds);
}
