using System.Text.Json.Nodes;
using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Agent.Tests.Plugin;

/// <summary>The plugin's ipam.agent mode, run as the AOT binary: through the agent, and without one (fallback or code 11).</summary>
[Collection(AgentGroup.Name)]
public class AgentModeTests(ServerFixture fixture)
{
    [Fact]
    public async Task Add_ThroughAgentWithoutFallback_ServedAndDelFrees()
    {
        var node = TestIds.New("agent-mode");
        await using var agent = await AgentProcess.StartAsync([fixture.UnixEndpoint], node, ("ReserveSize", "0"));
        string[] pools = [await PoolSetup.CreateAsync(fixture.Pools, "agent-mode-v4", "10.246.0.0/24", 28)];
        // No endpoints at all: only the agent can have answered.
        var config = Config(node, pools, agent.SocketPath, fallback: false, endpoints: []);

        var result = await fixture.Plugin.AddAsync(config, "c1");
        var addresses = PluginRunner.Addresses(result);
        Assert.Single(addresses);
        Assert.StartsWith("10.246.0.", addresses[0], StringComparison.Ordinal);
        Assert.Equal(1, await PoolSetup.AllocatedAsync(fixture.Pools, pools[0]));
        (await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, result), "c1")).AssertSuccess();
        (await fixture.Plugin.RunAsync("DEL", config, "c1")).AssertSuccess();
        Assert.Equal(0, await PoolSetup.AllocatedAsync(fixture.Pools, pools[0]));
    }

    [Fact]
    public async Task Add_AgentAbsentWithFallback_AllocatedDirectly()
    {
        var node = TestIds.New("agent-fallback");
        string[] pools = [await PoolSetup.CreateAsync(fixture.Pools, "agent-fb-v4", "10.246.1.0/24", 28)];
        var config = Config(node, pools, "/tmp/distipam-no-such-agent.sock", fallback: true, endpoints: [fixture.UnixEndpoint]);

        var outcome = await fixture.Plugin.RunAsync("ADD", config, "c1");

        outcome.AssertSuccess();
        Assert.Contains("no agent at /tmp/distipam-no-such-agent.sock", outcome.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await PoolSetup.AllocatedAsync(fixture.Pools, pools[0]));
        (await fixture.Plugin.RunAsync("DEL", config, "c1")).AssertSuccess();
    }

    [Fact]
    public async Task Add_AgentAbsentWithoutFallback_Code11NamingTheSocket()
    {
        var config = Config(TestIds.New("agent-nofb"), [], "/tmp/distipam-no-such-agent.sock", fallback: false, endpoints: [fixture.UnixEndpoint]);

        var outcome = await fixture.Plugin.RunAsync("ADD", config, "c1");

        outcome.AssertError(11, "no DistIpam agent listens at /tmp/distipam-no-such-agent.sock");
    }

    [Fact]
    public async Task Add_ServerRefusalThroughAgent_SameCodeAsDirect()
    {
        var node = TestIds.New("agent-refusal");
        await using var agent = await AgentProcess.StartAsync([fixture.UnixEndpoint], node, ("ReserveSize", "0"));
        string[] pools = ["no-such-pool"];
        var direct = await fixture.Plugin.RunAsync("ADD", Config(node, pools, null, fallback: true, endpoints: [fixture.UnixEndpoint]), "c1");
        var viaAgent = await fixture.Plugin.RunAsync("ADD", Config(node, pools, agent.SocketPath, fallback: false, endpoints: []), "c1");

        var code = direct.ErrorCode;
        Assert.NotEqual(11, code);
        viaAgent.AssertError(code, "no-such-pool");
    }

    /// <summary>A distipam configuration with ipam.agent (when <paramref name="socket"/> is set).</summary>
    public static JsonObject Config(string node, IReadOnlyList<string> pools, string? socket, bool fallback, IReadOnlyList<string> endpoints)
    {
        var config = CniConfig.Distipam("1.1.0", "agent-net", endpoints, node, 10, pools.Count == 0 ? null : pools);
        var ipam = config["ipam"]!.AsObject();
        if (endpoints.Count == 0)
        {
            ipam.Remove("endpoints");
        }

        if (socket is not null)
        {
            ipam["agent"] = socket;
            ipam["agentFallback"] = fallback;
        }

        return config;
    }
}
