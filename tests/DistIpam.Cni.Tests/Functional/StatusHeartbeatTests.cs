using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>STATUS names the node, so the runtime's periodic STATUS is the node's heartbeat (docs/operations.md).</summary>
[Collection(SharedServer.Name)]
public class StatusHeartbeatTests(ServerFixture fixture)
{
    [Fact]
    public async Task Status_NodeNameInConfiguration_RenewsThatNodesLease()
    {
        var node = TestIds.New("hb");
        var config = CniConfig.Distipam("1.1.0", "hbnet", [fixture.UnixEndpoint], node, timeoutSeconds: 10);
        var nodes = new Nodes.NodesClient(fixture.Server.CreateChannel());

        (await fixture.Plugin.RunAsync("STATUS", config, containerId: "", ifName: "", netns: null)).AssertSuccess();
        var first = await nodes.GetNodeAsync(new GetNodeRequest { Name = node });
        (await fixture.Plugin.RunAsync("STATUS", config, containerId: "", ifName: "", netns: null)).AssertSuccess();
        var second = await nodes.GetNodeAsync(new GetNodeRequest { Name = node });

        Assert.Equal(LeaseState.Alive, first.LeaseState);
        Assert.Equal("cni-status", first.AgentVersion);
        Assert.True(
            second.LastSeenUnixMs > first.LastSeenUnixMs,
            $"expected the second STATUS to move last-seen past {first.LastSeenUnixMs}, saw {second.LastSeenUnixMs}");
    }
}
