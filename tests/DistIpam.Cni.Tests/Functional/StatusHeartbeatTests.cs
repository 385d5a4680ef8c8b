using System.Net.Sockets;
using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;
using Google.Protobuf;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>STATUS names the node, so the runtime's periodic STATUS is the node's heartbeat (docs/operations.md).</summary>
[Collection(SharedServer.Name)]
public class StatusHeartbeatTests(ServerFixture fixture)
{
    private static readonly TimeSpan AgentBound = TimeSpan.FromSeconds(20);

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

    [Fact]
    public async Task Status_AfterAnAgentsHeartbeat_RenewsWithoutOverwritingItsAddressesOrVersion()
    {
        var node = TestIds.New("hb");
        var config = CniConfig.Distipam("1.1.0", "hbnet", [fixture.UnixEndpoint], node, timeoutSeconds: 10);
        var nodes = new Nodes.NodesClient(fixture.Server.CreateChannel());
        var heartbeat = new HeartbeatRequest { Node = node, AgentVersion = "distipam-agent 9.9.9" };
        heartbeat.Addresses.Add("192.0.2.10");
        await nodes.HeartbeatAsync(heartbeat);
        var before = await nodes.GetNodeAsync(new GetNodeRequest { Name = node });

        (await fixture.Plugin.RunAsync("STATUS", config, containerId: "", ifName: "", netns: null)).AssertSuccess();
        var after = await nodes.GetNodeAsync(new GetNodeRequest { Name = node });

        Assert.Equal("distipam-agent 9.9.9", after.AgentVersion);
        Assert.Equal(["192.0.2.10"], after.Addresses);
        Assert.True(
            after.LastSeenUnixMs > before.LastSeenUnixMs,
            $"expected STATUS to move last-seen past {before.LastSeenUnixMs}, saw {after.LastSeenUnixMs}");
    }

    [Fact]
    public async Task Status_ViaAgent_NodeNotRelayed()
    {
        // The agent heartbeats its node with addresses and version; a relayed node name would make the
        // server overwrite them with a CNI-status lease at every STATUS.
        var socketPath = Path.Combine(Path.GetTempPath(), $"distipam-fake-agent-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        var received = AnswerOneStatusAsync(listener);
        var config = CniConfig.Distipam("1.1.0", "hbnet", ["unix:///nonexistent/distipam.sock"], "node-via-agent", timeoutSeconds: 10);
        config["ipam"]!["agent"] = socketPath;

        try
        {
            var run = await InProcessRun.RunAsync(InProcessRun.Environment("STATUS"), config.ToJsonString());

            Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
            Assert.Equal("", (await received).Node);
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    private static async Task<StatusRequest> AnswerOneStatusAsync(Socket listener)
    {
        using var bound = new CancellationTokenSource(AgentBound);
        using var connection = await listener.AcceptAsync(bound.Token);
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        var frame = await AgentFrame.ReadAsync(stream, bound.Token) ?? throw new InvalidOperationException("the plugin closed the agent connection without a request");
        Assert.Equal(AgentMessageKind.Status, frame.Kind);
        await new AgentFrame(AgentMessageKind.Status, new StatusResponse { Ready = true }.ToByteArray()).WriteAsync(stream, bound.Token);
        return StatusRequest.Parser.ParseFrom(frame.Message);
    }
}
