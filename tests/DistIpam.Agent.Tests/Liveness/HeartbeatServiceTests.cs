using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;

namespace DistIpam.Agent.Tests.Liveness;

/// <summary>The agent renews its node's lease at the server.</summary>
[Collection(AgentGroup.Name)]
public class HeartbeatServiceTests(ServerFixture fixture)
{
    [Fact]
    public async Task Run_AgentStarted_NodeAliveWithTheAgentVersion()
    {
        var node = TestIds.New("agent-hb");
        await using var agent = await AgentProcess.StartAsync([fixture.UnixEndpoint], node, ("ReserveSize", "0"), ("HeartbeatInterval", "00:00:01"));
        var nodes = new Nodes.NodesClient(fixture.Server.CreateChannel());
        long firstSeen = 0;
        await Poll.UntilAsync(
            async () =>
            {
                var listed = await nodes.ListNodesAsync(new ListNodesRequest());
                var info = listed.Nodes.FirstOrDefault(n => n.Name == node);
                if (info is null)
                {
                    return "no such node yet";
                }

                firstSeen = firstSeen == 0 ? info.LastSeenUnixMs : firstSeen;
                return info.LeaseState == LeaseState.Alive && info.AgentVersion == "0.1.0" && info.LastSeenUnixMs > firstSeen
                    ? null
                    : $"{info.LeaseState}, agent version '{info.AgentVersion}', last seen {info.LastSeenUnixMs} (first {firstSeen})";
            },
            TimeSpan.FromSeconds(30),
            $"{node} alive, agent version 0.1.0, renewed at least twice");
    }
}
