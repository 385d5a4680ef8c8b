using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Cni.Tests.Netns;

namespace DistIpam.Agent.Tests.Netns;

/// <summary>Debian's bridge plugin with distipam as its ipam, every call through the node agent.</summary>
[Collection(AgentGroup.Name)]
public class AgentBridgeEndToEndTests(ServerFixture fixture)
{
    [Fact]
    public async Task Bridge_TwoPodsThroughAgent_DualStackPingCheckAndDel()
    {
        await using var lab = await NetnsLab.CreateAsync(fixture.Plugin.PluginPath, "bridge");
        var node = $"node-{lab.Tag}";
        string[] pools =
        [
            await PoolSetup.CreateAsync(fixture.Pools, "agent-br-v4", "10.247.0.0/24", 26),
            await PoolSetup.CreateAsync(fixture.Pools, "agent-br-v6", "fd00:247::/120", 122),
        ];
        await using var agent = await AgentProcess.StartAsync([fixture.UnixEndpoint], node, ("ReserveSize", "0"));
        var config = PodPairScenario.Config("bridge", $"agent-bridge-{lab.Tag}", fixture, pools, node);
        config["bridge"] = $"dabr{lab.Tag}";
        config["isGateway"] = true;
        config["ipMasq"] = false;
        var ipam = config["ipam"]!.AsObject();
        // No fallback and no endpoints: every verb can only have gone through the agent.
        ipam.Remove("endpoints");
        ipam["agent"] = agent.SocketPath;
        ipam["agentFallback"] = false;

        var (a, b) = await PodPairScenario.RunAsync(lab, fixture, "bridge", config, pools);

        Assert.Equal(4, a["ips"]!.AsArray().Count + b["ips"]!.AsArray().Count);
        Assert.False(agent.HasExited, agent.LogTail());
    }
}
