using System.Globalization;
using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Agent.Tests.Metrics;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;

namespace DistIpam.Agent.Tests.Reserve;

/// <summary>A node drained at the server: its agent learns it from the next heartbeat and stops serving from its reserve.</summary>
[Collection(AgentGroup.Name)]
public class DrainTests(ServerFixture fixture)
{
    [Fact]
    public async Task Heartbeat_NodeDrained_FreeSlotsDroppedNoRefillAddsGoToTheServer()
    {
        var scenario = await ReserveScenario.CreateAsync(fixture.Server.CreateChannel(), "drain", "10.241.0.0/24", "fd00:241::/120");
        var port = FreePort.Next();
        await using var agent = await scenario.StartAgentAsync(
            fixture.UnixEndpoint,
            2,
            ("MetricsPort", port.ToString(CultureInfo.InvariantCulture)),
            ("HeartbeatInterval", "00:00:00.200"));
        await scenario.WaitForAllocatedAsync(4, "the reserve filled");
        var config = scenario.Config(agent);

        var nodes = new Nodes.NodesClient(fixture.Server.CreateChannel());
        // The agent's first heartbeat answered: its view of "last drained" predates the drain below.
        await Poll.UntilAsync(
            async () => (await nodes.ListNodesAsync(new ListNodesRequest())).Nodes.Any(n => n.Name == scenario.Node && n.AgentVersion.Length > 0) ? null : "no heartbeat yet",
            TimeSpan.FromSeconds(30),
            $"a heartbeat of {scenario.Node}");
        await nodes.DrainNodeAsync(new DrainNodeRequest { Node = scenario.Node, Reason = "test drain" });
        // Every slot's addresses were released by the drain: the agent must not hand them out any more.
        var dropped = await AgentMetricsTests.PollAsync(port, s => s.Sum("distipam_agent_reserve_free_slots") == 0, "the free slots dropped after the drain");
        var rounds = dropped.Sum("distipam_agent_reserve_rounds_total");
        // Two whole worker rounds later (each ends with the refill step) the reserve is still empty.
        var later = await AgentMetricsTests.PollAsync(port, s => s.Sum("distipam_agent_reserve_rounds_total") >= rounds + 2, "two more reserve worker rounds");
        Assert.Equal(0, later.Sum("distipam_agent_reserve_free_slots"));
        Assert.Equal(0, await scenario.AllocatedAsync());

        var addresses = PluginRunner.Addresses(await fixture.Plugin.AddAsync(config, "d1"));
        Assert.Equal(2, addresses.Count);
        var served = await MetricsScrape.OfAsync(port);
        Assert.Equal(0, served.Sum("distipam_agent_assignments_total"));
        Assert.True(served.Sum("distipam_agent_pass_through_total", "operation=\"Allocate\"") >= 1, served.Text);
        await scenario.WaitUntilServerHoldsAsync("d1", addresses);
        Assert.Equal(2, await scenario.AllocatedAsync());
        await scenario.AssertConsistentAsync();
    }
}
