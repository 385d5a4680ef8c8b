using System.Collections.Concurrent;
using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;
using Grpc.Core;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// The GC controller racing live ADD/DEL: with no grace and auto-release of expired nodes on, GC
/// passes run back to back while workers allocate, check and release. A node whose lease expired
/// is drained; nothing live is released: not the workers' allocations, not held ones, and not a
/// node that got an ADD after its lease expired.
/// </summary>
public sealed class GcRaceTests : IAsyncLifetime
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(20);
    private ServerProcess? _server;

    private string Endpoint => $"127.0.0.1:{(_server ?? throw new InvalidOperationException("not started")).GrpcPort}";

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new ServerProcessOptions
    {
        Name = "ctl-gc",
        Arguments =
        [
            "--DistIpam:Gc:Enabled=false",
            "--DistIpam:Gc:Grace=00:00:00",
            "--DistIpam:Gc:AutoReleaseExpiredNodes=true",
            "--DistIpam:Nodes:LeaseDuration=00:00:01",
            "--DistIpam:Reconcile:Enabled=false",
        ],
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GcRun_RacingLiveAddDel_DrainsOnlyTheDeadNode()
    {
        using var client = new DistIpamClient(Endpoint);
        var dead = TestIds.Unique("dead");
        var revived = TestIds.Unique("back");
        var alive = TestIds.Unique("alive");
        var deadHandles = new List<Handle>();
        for (var i = 0; i < 3; i++)
        {
            deadHandles.Add(TestIds.NewHandle());
            await client.Ipam.AllocateAsync(new AllocateRequest { Handle = deadHandles[^1], Node = dead });
        }

        // The last heartbeats come after the dead node's pods: every allocation predates its lease's expiry.
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = dead });
        await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = revived });

        var held = new List<(Handle Handle, AllocateResponse Addresses)>();
        foreach (var node in new[] { alive, "worker-0" })
        {
            var handle = TestIds.NewHandle();
            held.Add((handle, await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node })));
        }

        await WaitExpiredAsync(client, dead);
        await WaitExpiredAsync(client, revived);
        // The revived node's pod arrives after its lease expired: evidence the node lives.
        var late = TestIds.NewHandle();
        held.Add((late, await client.Ipam.AllocateAsync(new AllocateRequest { Handle = late, Node = revived })));

        using var stop = new CancellationTokenSource();
        var violations = new ConcurrentQueue<string>();
        var cycles = new int[5];
        var workers = Enumerable.Range(0, 5).Select(w => ChurnAsync(client, w == 4 ? alive : $"worker-{w}", w, cycles, violations, heartbeat: w == 4, stop.Token)).ToList();
        var passes = new List<CtlRun>();
        for (var i = 0; i < 8; i++)
        {
            passes.Add(await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.All(passes, p => p.Expect(ExitCodes.Ok));
        Assert.Empty(violations);
        Assert.All(cycles, c => Assert.True(c > 0, $"every worker must have completed ADD/CHECK/DEL cycles during the passes; saw {string.Join(",", cycles)}"));
        foreach (var (handle, addresses) in held)
        {
            await client.Ipam.CheckAsync(Expect(handle, addresses), deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None);
        }

        foreach (var handle in deadHandles)
        {
            var gone = await Assert.ThrowsAsync<RpcException>(async () => await client.Ipam.CheckAsync(new CheckRequest { Handle = handle }));
            Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        }

        var status = passes[^1].Json();
        Assert.Equal("1", status.GetProperty("nodesDrained").ToString());
        Assert.Equal("6", status.GetProperty("addressesReleased").ToString());
        Assert.True(long.Parse(status.GetProperty("spared").ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1, "the revived node must have been spared by the re-check");
        await CtlRun.PollJsonAsync(
            Endpoint,
            h => h.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("actor").GetString() == "drain" && e.GetProperty("reason").GetString()!.StartsWith("gc: lease expired", StringComparison.Ordinal)),
            "the drained handle's history to name the GC drain",
            "handle", "history", TestIds.KeyOf(deadHandles[0]));
    }

    private static async Task ChurnAsync(DistIpamClient client, string node, int worker, int[] cycles, ConcurrentQueue<string> violations, bool heartbeat, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            // A cycle is never cancelled halfway: the stop only ends the loop.
            var handle = TestIds.NewHandle();
            try
            {
                if (heartbeat)
                {
                    await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node }, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None);
                }

                var addresses = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node }, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None);
                await client.Ipam.CheckAsync(Expect(handle, addresses), deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None);
                await client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = handle, Node = node }, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None);
                Interlocked.Increment(ref cycles[worker]);
            }
            catch (RpcException e)
            {
                violations.Enqueue($"worker {worker} on {node}, handle {TestIds.KeyOf(handle)}: {e.StatusCode} {e.Status.Detail}");
            }
        }
    }

    private static CheckRequest Expect(Handle handle, AllocateResponse addresses)
    {
        var request = new CheckRequest { Handle = handle };
        request.ExpectedAddresses.AddRange(addresses.Addresses.Select(a => a.Address));
        return request;
    }

    private static Task WaitExpiredAsync(DistIpamClient client, string node) => Poll.UntilAsync(
        async () =>
        {
            var state = (await client.Nodes.GetNodeAsync(new GetNodeRequest { Name = node })).LeaseState;
            return state == LeaseState.Expired ? null : state.ToString();
        },
        TimeSpan.FromSeconds(20),
        $"node {node}'s 1 s lease to expire");
}
