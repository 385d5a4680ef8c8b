using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>Node leases (Heartbeat, CNI STATUS), <c>nodes list|show|drain</c> and <c>version</c>, on a server with a 2 s lease.</summary>
public sealed class NodesCommandsTests : IAsyncLifetime
{
    private ServerProcess? _server;

    private string Endpoint => $"127.0.0.1:{(_server ?? throw new InvalidOperationException("not started")).GrpcPort}";

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "ctl-nodes", Arguments = ["--DistIpam:Nodes:LeaseDuration=00:00:02"] });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task NodesList_HeartbeatThenSilence_AliveThenExpired()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var beat = new HeartbeatRequest { Node = node, AgentVersion = "agent-1.2" };
        beat.Addresses.Add("192.0.2.10");
        await client.Nodes.HeartbeatAsync(beat);

        var alive = (await CtlRun.RunAsync(Endpoint, "nodes", "list")).Expect(ExitCodes.Ok);
        System.Text.Json.JsonElement expired = default;
        await Poll.UntilAsync(
            async () =>
            {
                expired = (await CtlRun.RunAsync(Endpoint, "nodes", "show", node, "-o", "json")).Json();
                var state = expired.GetProperty("leaseState").GetString();
                return state == "LEASE_STATE_EXPIRED" ? null : state;
            },
            TimeSpan.FromSeconds(20),
            "the node lease to expire 2 s after its heartbeat");

        alive.AssertOut($@"{node}\s+alive\s+\d+s ago\s+0\s+0\s+agent-1\.2");
        Assert.Equal("192.0.2.10", expired.GetProperty("addresses")[0].GetString());
    }

    [Fact]
    public async Task Status_NamingTheNode_CountsAsHeartbeat()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);

        await client.Ipam.StatusAsync(new StatusRequest { Node = node });
        var shown = (await CtlRun.RunAsync(Endpoint, "nodes", "show", node, "-o", "json")).Expect(ExitCodes.Ok);

        Assert.Equal("cni-status", shown.Json().GetProperty("agentVersion").GetString());
        Assert.NotEqual("0", shown.Json().GetProperty("lastSeenUnixMs").ToString());
    }

    [Fact]
    public async Task Drain_NodeWithAllocations_ReleasesThemAndMarksLeaseDrained()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var handle = TestIds.NewHandle();
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        var before = (await CtlRun.RunAsync(Endpoint, "nodes", "list", "-o", "json")).Expect(ExitCodes.Ok);

        var drained = (await CtlRun.RunAsync(Endpoint, "nodes", "drain", node, "--yes", "--reason", "node deleted")).Expect(ExitCodes.Ok);
        var after = (await CtlRun.RunAsync(Endpoint, "nodes", "show", node, "-o", "json")).Expect(ExitCodes.Ok);

        var row = before.Json().GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("name").GetString() == node);
        Assert.Equal("LEASE_STATE_UNKNOWN", row.GetProperty("leaseState").GetString());
        Assert.Equal("2", row.GetProperty("allocations").ToString());
        drained.AssertOut($@"node {node} drained: 2 address\(es\) released, 2 block\(s\) returned");
        Assert.Equal("LEASE_STATE_DRAINED", after.Json().GetProperty("leaseState").GetString());
        Assert.Equal("node deleted", after.Json().GetProperty("drainReason").GetString());
        var released = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await client.Ipam.CheckAsync(new CheckRequest { Handle = handle }));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, released.StatusCode);
        var log = _server!.LogTail(400);
        Assert.Contains($"DistIpam.Server.Nodes.NodesService[14001]", log, StringComparison.Ordinal);
        Assert.Contains(node, log, StringComparison.Ordinal);
        Assert.DoesNotContain("info: Polly", log, StringComparison.Ordinal);
        Assert.DoesNotContain("info: Orleans", log, StringComparison.Ordinal);
        await CtlRun.PollJsonAsync(
            Endpoint,
            h => h.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("actor").GetString() == "drain" && e.GetProperty("reason").GetString() == "node deleted") == 2,
            "both addresses' release by the drain in the handle's history",
            "handle", "history", TestIds.KeyOf(handle));
    }

    [Fact]
    public async Task Show_NodeWithDualStackPods_TableShowsItsBlocksAsATreeByPool()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = node });

        var table = (await CtlRun.RunAsync(Endpoint, "nodes", "show", node)).Expect(ExitCodes.Ok);

        table.AssertOut($@"Blocks of {node} \(2\)");
        foreach (var address in held.Addresses)
        {
            // pool branch, then the block under it
            table.AssertOut($@"[├└]── {address.Pool}\s*\n.*[├└]── {System.Text.RegularExpressions.Regex.Escape(address.Block)}");
        }
    }

    [Fact]
    public async Task Drain_WithoutYesNotOnTerminal_ExitTwoAndNothingReleased()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = node });

        var run = (await CtlRun.RunAsync(Endpoint, "nodes", "drain", node)).Expect(ExitCodes.Usage);

        Assert.Contains("--yes", run.Error, StringComparison.Ordinal);
        var shown = (await CtlRun.RunAsync(Endpoint, "nodes", "show", node, "-o", "json")).Expect(ExitCodes.Ok);
        Assert.Equal("2", shown.Json().GetProperty("allocations").ToString());
        Assert.Equal(2, held.Addresses.Count);
    }

    [Fact]
    public async Task GcRun_ExpiredNodeWithDefaults_ReportedNotDrained()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });
        var handle = TestIds.NewHandle();
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        await Poll.UntilAsync(
            async () => (await client.Nodes.GetNodeAsync(new GetNodeRequest { Name = node })).LeaseState is var s && s == LeaseState.Expired ? null : s.ToString(),
            TimeSpan.FromSeconds(20),
            "the 2 s lease to expire");

        (await CtlRun.RunAsync(Endpoint, "gc", "run")).Expect(ExitCodes.Ok);
        var second = (await CtlRun.RunAsync(Endpoint, "gc", "run")).Expect(ExitCodes.Ok);
        var status = (await CtlRun.RunAsync(Endpoint, "gc", "status", "-o", "json")).Expect(ExitCodes.Ok).Json();

        second.AssertOut($@"expired-node\s+{node}\s+\S+\s+2x\s+\S+\s+report only \(auto-release off\)");
        Assert.Equal("900000", status.GetProperty("graceMs").ToString());
        Assert.False(status.GetProperty("autoReleaseExpiredNodes").GetBoolean());
        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(held.Addresses.Select(a => a.Address));
        await client.Ipam.CheckAsync(check);
    }

    [Fact]
    public async Task CheckThenReleaseFromReport_ExpiredNode_ReportedThenDrained()
    {
        var node = TestIds.Unique("node");
        var live = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var handle = TestIds.NewHandle();
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        var kept = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = live });
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });
        await Poll.UntilAsync(
            async () => (await client.Nodes.GetNodeAsync(new GetNodeRequest { Name = node })).LeaseState is var s && s == LeaseState.Expired ? null : s.ToString(),
            TimeSpan.FromSeconds(20),
            "the 2 s lease to expire");
        var report = Path.Combine(Path.GetTempPath(), $"distipam-report-{Guid.NewGuid():N}.json");

        var check = (await CtlRun.RunAsync(Endpoint, "check", "-o", report)).Expect(ExitCodes.Ok);
        var release = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", report)).Expect(ExitCodes.Ok);
        File.Delete(report);

        check.AssertOut($@"NODES WITH AN EXPIRED LEASE[^\n]*\n[─\s]*\n\s+{node}\s");
        Assert.DoesNotContain(live, check.Out, StringComparison.Ordinal);
        // Other tests of this class may have left expired nodes of their own: count at least this one.
        release.AssertOut(@"released [2-9]\d* address\(es\), repaired 0 claim\(s\), drained [1-9]\d* expired node\(s\)");
        var gone = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await client.Ipam.CheckAsync(new CheckRequest { Handle = handle }));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, gone.StatusCode);
        Assert.Equal(LeaseState.Drained, (await client.Nodes.GetNodeAsync(new GetNodeRequest { Name = node })).LeaseState);
        Assert.Equal(2, kept.Addresses.Count);
    }

    [Fact]
    public async Task Show_UnknownNode_ExitThree()
    {
        (await CtlRun.RunAsync(Endpoint, "nodes", "show", "never-seen")).Expect(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Version_Json_ClientAndServer()
    {
        var run = (await CtlRun.RunAsync(Endpoint, "version", "-o", "json")).Expect(ExitCodes.Ok);

        Assert.False(string.IsNullOrEmpty(run.Json().GetProperty("client").GetString()));
        Assert.False(string.IsNullOrEmpty(run.Json().GetProperty("server").GetString()));
        Assert.Equal("embedded", run.Json().GetProperty("mode").GetString());
    }
}
