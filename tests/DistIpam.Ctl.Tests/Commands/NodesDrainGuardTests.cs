using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// <c>nodes drain</c> refuses a node whose lease is alive unless <c>--force</c> says it is gone
/// (docs/operations.md, "A node died"), on a server with a 2 s lease.
/// </summary>
public sealed class NodesDrainGuardTests : IAsyncLifetime
{
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromMilliseconds(300);

    private ServerProcess? _server;

    private string Endpoint => $"127.0.0.1:{(_server ?? throw new InvalidOperationException("not started")).GrpcPort}";

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "ctl-drain-guard", Arguments = ["--DistIpam:Nodes:LeaseDuration=00:00:02"] });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Drain_AliveNodeWithYes_ExitTwoNamingForceAndNothingReleased()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var handle = TestIds.NewHandle();
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });
        using var agent = new CancellationTokenSource();
        var heartbeats = HeartbeatUntilCancelledAsync(client, node, agent.Token);

        var run = await CtlRun.RunAsync(Endpoint, "nodes", "drain", node, "--yes");
        await agent.CancelAsync();
        await heartbeats;

        run.Expect(ExitCodes.Usage);
        Assert.Matches($@"node {node} is alive \(last heartbeat \d+s ago\)", run.Error);
        Assert.Contains("--force", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(held.Addresses.Select(a => a.Address));
        await client.Ipam.CheckAsync(check);
        var shown = (await CtlRun.RunAsync(Endpoint, "nodes", "show", node, "-o", "json")).Expect(ExitCodes.Ok);
        Assert.Equal("2", shown.Json().GetProperty("allocations").ToString());
    }

    [Fact]
    public async Task DrainNode_RefuseIfAliveOnAnAliveNode_FailedPreconditionAndNothingReleased()
    {
        // The server's own check: a node read as expired by the CLI may heartbeat before the drain arrives.
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var handle = TestIds.NewHandle();
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });

        await RpcAssert.FailsAsync(
            Grpc.Core.StatusCode.FailedPrecondition,
            () => client.Nodes.DrainNodeAsync(new DrainNodeRequest { Node = node, RefuseIfAlive = true }).ResponseAsync,
            node,
            "alive");

        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(held.Addresses.Select(a => a.Address));
        await client.Ipam.CheckAsync(check);
    }

    [Fact]
    public async Task Drain_AliveNodeWithForceAndYes_Drains()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var handle = TestIds.NewHandle();
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });
        using var agent = new CancellationTokenSource();
        var heartbeats = HeartbeatUntilCancelledAsync(client, node, agent.Token);

        var run = await CtlRun.RunAsync(Endpoint, "nodes", "drain", node, "--force", "--yes");
        await agent.CancelAsync();
        await heartbeats;

        run.Expect(ExitCodes.Ok).AssertOut($@"node {node} drained: 2 address\(es\) released, 2 block\(s\) returned");
        var released = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await client.Ipam.CheckAsync(new CheckRequest { Handle = handle }));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, released.StatusCode);
    }

    [Fact]
    public async Task Drain_ExpiredNodeWithYes_DrainsWithoutForce()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var handle = TestIds.NewHandle();
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });
        await Poll.UntilAsync(
            async () => (await client.Nodes.GetNodeAsync(new GetNodeRequest { Name = node })).LeaseState is var s && s == LeaseState.Expired ? null : s.ToString(),
            TimeSpan.FromSeconds(20),
            "the 2 s lease to expire");

        var run = (await CtlRun.RunAsync(Endpoint, "nodes", "drain", node, "--yes")).Expect(ExitCodes.Ok);

        run.AssertOut($@"node {node} drained: 2 address\(es\) released, 2 block\(s\) returned");
        Assert.Equal(LeaseState.Drained, (await client.Nodes.GetNodeAsync(new GetNodeRequest { Name = node })).LeaseState);
    }

    [Fact]
    public async Task Drain_AliveNodeWithForceNotOnTerminal_StillNeedsYes()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = node });
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });

        var run = (await CtlRun.RunAsync(Endpoint, "nodes", "drain", node, "--force")).Expect(ExitCodes.Usage);

        Assert.Contains("--yes", run.Error, StringComparison.Ordinal);
        var shown = (await CtlRun.RunAsync(Endpoint, "nodes", "show", node, "-o", "json")).Expect(ExitCodes.Ok);
        Assert.Equal("2", shown.Json().GetProperty("allocations").ToString());
        Assert.Equal(2, held.Addresses.Count);
    }

    /// <summary>A node agent: heartbeats <paramref name="node"/> until cancelled, so its lease stays alive whatever the machine's load.</summary>
    private static async Task HeartbeatUntilCancelledAsync(DistIpamClient client, string node, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatEvery);
        try
        {
            do
            {
                await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node, AgentVersion = "test-agent" }, cancellationToken: cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Cancelled)
        {
        }
    }
}
