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

    [Fact]
    public async Task GcRun_AddsOnTheExpiredNodeWhileItIsBeingDrained_KeepTheirAddresses()
    {
        // The pass's re-check finds the node dead; ADDs that land after it, while the drain walks the
        // node's many handles, are the node living again and must keep their addresses.
        using var client = new DistIpamClient(Endpoint);
        var raced = 0;
        for (var round = 0; round < 4 && raced == 0; round++)
        {
            var node = TestIds.Unique("late");
            var dead = Enumerable.Range(0, 150).Select(_ => TestIds.NewHandle()).ToList();
            foreach (var batch in dead.Chunk(10))
            {
                await Task.WhenAll(batch.Select(h => client.Ipam.AllocateAsync(new AllocateRequest { Handle = h, Node = node }).ResponseAsync));
            }

            await client.Nodes.HeartbeatAsync(new HeartbeatRequest { Node = node });
            await WaitExpiredAsync(client, node);
            (await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json")).Expect(ExitCodes.Ok);

            var pass = CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json");
            var acknowledged = await AddWhileDrainingAsync(client, node, pass);
            (await pass).Expect(ExitCodes.Ok);

            // Held at the blocks, not only in the handles' records (a drain frees block allocations).
            var lookups = new Addresses.AddressesClient(client.CallInvoker(0));
            foreach (var (handle, addresses) in acknowledged)
            {
                foreach (var address in addresses.Addresses.Select(a => a.Address.Split('/')[0]))
                {
                    var info = await lookups.GetAddressAsync(new GetAddressRequest { Address = address }, deadline: DateTime.UtcNow + CallDeadline);
                    Assert.True(
                        info.Allocated && info.Handle == TestIds.KeyOf(handle),
                        $"{address}, acknowledged to {TestIds.KeyOf(handle)} while node {node} was drained, is {(info.Allocated ? $"held by {info.Handle}" : "free")}");
                }
            }

            raced += acknowledged.Count;
        }

        Assert.True(raced > 0, "no ADD was acknowledged while a drain ran in 4 rounds: the race was never exercised");
    }

    /// <summary>Once the server logs the drain of <paramref name="node"/>, ADDs on it until <paramref name="pass"/> ends.</summary>
    private async Task<List<(Handle Handle, AllocateResponse Addresses)>> AddWhileDrainingAsync(DistIpamClient client, string node, Task<CtlRun> pass)
    {
        var acknowledged = new List<(Handle, AllocateResponse)>();
        var started = $"Draining node {node}";
        await Poll.UntilAsync(
            () => Task.FromResult(pass.IsCompleted || ReadLog().Contains(started, StringComparison.Ordinal) ? null : $"no '{started}' line yet"),
            TimeSpan.FromSeconds(60),
            $"the server to log '{started}' (or the pass to end)");

        for (var i = 0; i < 200 && !pass.IsCompleted; i++)
        {
            var handle = TestIds.NewHandle();
            acknowledged.Add((handle, await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node }, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None)));
        }

        return acknowledged;
    }

    private string ReadLog()
    {
        using var stream = new FileStream((_server ?? throw new InvalidOperationException("not started")).LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
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
