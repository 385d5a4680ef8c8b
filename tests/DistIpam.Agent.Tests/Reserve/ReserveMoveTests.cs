using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Agent.Tests.Plugin;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Agent.Tests.Reserve;

/// <summary>
/// Confirming a reserve slot for a pod while other ADDs on the same node reach the server directly:
/// the slot's address must never be free at the server in between (docs/agent.md, "Warm reserve and
/// journal"). Confirmation by release-then-allocate let a direct ADD take it.
/// </summary>
[Collection(AgentGroup.Name)]
public class ReserveMoveTests(ServerFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Add_FromReserveWhileTheNodeAllocatesDirectly_AddressNeverGoesToTwoHandles()
    {
        var channel = fixture.Server.CreateChannel();
        var pools = new Pools.PoolsClient(channel);
        var ipam = new Ipam.IpamClient(channel);

        // One bridged /29: five usable addresses, so once the pool is full the reserve slot's address
        // is the only one that can become free, and a direct ADD gets it even while it cools down.
        var pool = await PoolSetup.CreateAsync(pools, "move-v4", "10.251.7.0/29", 29);
        var node = TestIds.New("move");
        await using var agent = await AgentProcess.StartAsync([fixture.UnixEndpoint], node, ("ReserveSize", "1"), ("Pools:0", pool), ("ServerTimeout", "00:00:02"));
        await Poll.UntilAsync(async () => await PoolSetup.AllocatedAsync(pools, pool) is var n && n == 1 ? null : $"{n} allocated", Bound, "the reserve slot filled");
        for (var i = 0; i < 4; i++)
        {
            await ipam.AllocateAsync(Request(node, pool, $"filler-{i}"));
        }

        // Direct ADDs on the same node, repeated until the test ends: any success took the only address that became free.
        using var stop = new CancellationTokenSource(Bound);
        var competitors = Enumerable.Range(0, 3).Select(i => CompeteAsync(ipam, Request(node, pool, $"competitor-{i}"), stop.Token)).ToList();
        var podAddress = PluginRunner.Addresses(await fixture.Plugin.AddAsync(AgentModeTests.Config(node, [pool], agent.SocketPath, fallback: false, endpoints: []), "moved-pod")).Single();
        await Poll.UntilAsync(
            () => ServerHoldsForPodAsync(ipam, podAddress, competitors),
            TimeSpan.FromSeconds(10),
            $"the server to hold {podAddress} for the pod (the agent's confirmation)");
        await stop.CancelAsync();
        var taken = (await Task.WhenAll(competitors)).Where(a => a is not null).ToList();

        Assert.DoesNotContain(Bare(podAddress), taken.Select(a => Bare(a!)));
        var report = await pools.CheckConsistencyAsync(new CheckConsistencyRequest { Pool = pool, MinAgeMs = 0 });
        Assert.True(report.Duplicates.Count == 0 && report.OrphanedAddresses.Count == 0, $"consistency report of {pool}: {report}");
    }

    private static AllocateRequest Request(string node, string pool, string container)
    {
        var request = new AllocateRequest { Handle = new Handle { Network = "direct-net", ContainerId = container, Interface = "eth0" }, Node = node };
        request.Pools.Add(pool);
        return request;
    }

    // Returns the address a direct ADD got, or null when the pool stayed full until the end.
    private static async Task<string?> CompeteAsync(Ipam.IpamClient ipam, AllocateRequest request, CancellationToken stop)
    {
        for (var attempt = 0; attempt < 100_000 && !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                return (await ipam.AllocateAsync(request, cancellationToken: stop)).Addresses.Single().Address;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled || stop.IsCancellationRequested)
            {
                return null;
            }
        }

        return null;
    }

    // Null once the server holds the address for the pod; else what it answers, and what direct ADDs took so far.
    private static async Task<string?> ServerHoldsForPodAsync(Ipam.IpamClient ipam, string address, IReadOnlyList<Task<string?>> competitors)
    {
        var check = new CheckRequest { Handle = new Handle { Network = "agent-net", ContainerId = "moved-pod", Interface = "eth0" } };
        check.ExpectedAddresses.Add(address);
        try
        {
            await ipam.CheckAsync(check);
            return null;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition)
        {
            var taken = competitors.Where(c => c.IsCompletedSuccessfully && c.Result is not null).Select(c => c.Result);
            return $"{e.StatusCode} {e.Status.Detail}; direct ADDs took [{string.Join(", ", taken)}]";
        }
    }

    private static string Bare(string address) => address.Split('/')[0];
}
