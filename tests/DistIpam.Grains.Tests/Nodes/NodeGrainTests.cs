using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Nodes;

[Collection(SharedCluster.Name)]
public sealed partial class NodeGrainTests(ClusterFixture cluster)
{
    private readonly IpamDriver _ipam = new(cluster.Grains);

    [Fact]
    public async Task AllocateAsync_TwentyNodesThirtyPodsEachConcurrently_NeverShareAnAddress()
    {
        const int nodeCount = 20;
        const int podsPerNode = 30;

        // /28 blocks hold 14 addresses, so every node claims three blocks during the burst.
        var v4 = await _ipam.CreatePoolAsync("many-v4", TestNames.IPv4(21), 28);
        var v6 = await _ipam.CreatePoolAsync("many-v6", TestNames.IPv6(112), 122);
        var pods = Enumerable.Range(0, nodeCount)
            .Select(_ => TestNames.Unique("many-node"))
            .SelectMany(node => Enumerable.Range(0, podsPerNode).Select(_ => (Node: node, Handle: IpamDriver.NewHandle())))
            .ToList();

        var records = await Task.WhenAll(pods.Select(p => _ipam.AllocateAsync(p.Handle, p.Node, v4.Name, v6.Name)));

        var total = nodeCount * podsPerNode;
        var v4Leases = records.Select(r => r.Leases[0]).ToList();
        var v6Leases = records.Select(r => r.Leases[1]).ToList();
        Assert.Equal(total, v4Leases.Select(l => l.Address).Distinct().Count());
        Assert.Equal(total, v6Leases.Select(l => l.Address).Distinct().Count());
        AssertInside(v4.Cidr, v4Leases.Select(l => l.Address));
        AssertInside(v6.Cidr, v6Leases.Select(l => l.Address));
        var own = records.Count(r => r.Leases.All(l => l.BlockOwner == r.Node));
        Assert.True(own >= total * 9 / 10, $"expected at least 90% of {total} pods in their own node's blocks; {own} were");

        // The blocks agree with what was acknowledged: every address recorded once, for its handle.
        var stored = (await _ipam.AllocationsAsync(v4.Name)).Concat(await _ipam.AllocationsAsync(v6.Name))
            .Select(l => (l.Address, l.HandleId)).Order().ToList();
        var acknowledged = records.SelectMany(r => r.Leases.Select(l => (l.Address, r.HandleId))).Order().ToList();
        Assert.Equal(acknowledged, stored);

        var released = await Task.WhenAll(pods.Select(p => _ipam.Handle(p.Handle).ReleaseAsync(p.Node)));

        Assert.Equal(2 * total, released.Sum(r => r.Count));
        var left = (await _ipam.UsageAsync(v4.Name)).Concat(await _ipam.UsageAsync(v6.Name)).Where(u => u.Used > 0).ToList();
        Assert.True(left.Count == 0, $"expected every block empty after release; still used: {string.Join(", ", left.Select(u => $"{u.Block}={u.Used}"))}");
    }

    [Fact]
    public async Task AllocateAsync_OwnBlockFullAndNoBlockLeft_BorrowsFromAnotherNodesBlock()
    {
        var (pool, nodeA, nodeB) = await TwoFullishBlocksAsync(strict: false);

        // A burst: calls that waited for the failed claim of another must borrow too.
        var records = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _ipam.AllocateNewAsync(nodeA, pool)));

        var leases = records.Select(r => r.Record.Leases[0]).ToList();
        Assert.All(leases, l => Assert.Equal(nodeB, l.BlockOwner));
        Assert.Equal(3, leases.Select(l => l.Address).Distinct().Count());
        var borrowedBlock = Assert.Single(leases.Select(l => l.Block).Distinct());
        Assert.Contains(borrowedBlock, await _ipam.ClaimsOfAsync(pool, nodeB));
        var blocks = Assert.Single(await _ipam.Node(nodeA).ListBlocksAsync(), b => b.Pool == pool);
        Assert.Equal([borrowedBlock], blocks.Borrowed);
        Assert.Single(blocks.Owned);
    }

    [Fact]
    public async Task AllocateAsync_OwnBlockFullNoBlockLeftStrictAffinity_FailsWithExhaustedNamingPool()
    {
        var (pool, nodeA, _) = await TwoFullishBlocksAsync(strict: true);
        var usedBefore = await _ipam.UsedAsync(pool);
        var handle = IpamDriver.NewHandle();

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.AllocateAsync(handle, nodeA, pool));

        Assert.Equal(IpamErrorKind.Exhausted, error.Kind);
        Assert.Contains($"'{pool}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(usedBefore, await _ipam.UsedAsync(pool));
        Assert.Null(await _ipam.Handle(handle).GetAsync());
        Assert.Empty(Assert.Single(await _ipam.Node(nodeA).ListBlocksAsync(), b => b.Pool == pool).Borrowed);
    }

    [Fact]
    public async Task AllocateAsync_PoolFull_FailsWithExhaustedNamingPoolAndChangesNothing()
    {
        // One /28 block: 14 addresses.
        var pool = (await _ipam.CreatePoolAsync("full", TestNames.IPv4(28), 28)).Name;
        var node = TestNames.Unique("node");
        for (var i = 0; i < 14; i++)
        {
            await _ipam.AllocateNewAsync(node, pool);
        }

        var before = await _ipam.AllocationsAsync(pool);
        var claimsBefore = await _ipam.Pool(pool).ListClaimsAsync();

        foreach (var asking in new[] { node, TestNames.Unique("other-node") })
        {
            var handle = IpamDriver.NewHandle();
            var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.AllocateAsync(handle, asking, pool));

            Assert.Equal(IpamErrorKind.Exhausted, error.Kind);
            Assert.Contains($"'{pool}'", error.Message, StringComparison.Ordinal);
            Assert.Null(await _ipam.Handle(handle).GetAsync());
        }

        Assert.Equal(before.Select(l => (l.Address, l.Sequence, l.HandleId)), (await _ipam.AllocationsAsync(pool)).Select(l => (l.Address, l.Sequence, l.HandleId)));
        Assert.Equal(claimsBefore.Select(c => (c.Block, c.Node)), (await _ipam.Pool(pool).ListClaimsAsync()).Select(c => (c.Block, c.Node)));
    }

    [Fact]
    public async Task AllocateAsync_MaxBlocksPerNodeReachedStrict_FailsWithExhaustedAfterFillingThatManyBlocks()
    {
        // /29 blocks hold 6 addresses; the node may claim 2 of the pool's 8.
        var pool = (await _ipam.CreatePoolAsync("max", TestNames.IPv4(26), 29, strictAffinity: true, maxBlocksPerNode: 2)).Name;
        var node = TestNames.Unique("node");

        // Concurrently: callers that wait for another's claim must still get the room it brought.
        var records = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _ipam.AllocateNewAsync(node, pool)));

        Assert.Equal(12, records.Select(r => r.Record.Leases[0].Address).Distinct().Count());
        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.AllocateNewAsync(node, pool));
        Assert.Equal(IpamErrorKind.Exhausted, error.Kind);
        Assert.Contains($"'{pool}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await _ipam.ClaimsOfAsync(pool, node)).Count);
        Assert.Equal(2, Assert.Single(await _ipam.Node(node).ListBlocksAsync(), b => b.Pool == pool).Owned.Count);
    }

    [Fact]
    public async Task AllocateAsync_MaxBlocksPerNodeReached_BorrowsInsteadOfClaimingMore()
    {
        var pool = (await _ipam.CreatePoolAsync("max-borrow", TestNames.IPv4(26), 29, maxBlocksPerNode: 1)).Name;
        var nodeA = TestNames.Unique("node");
        var nodeB = TestNames.Unique("node");
        for (var i = 0; i < 6; i++)
        {
            await _ipam.AllocateNewAsync(nodeA, pool);
        }

        await _ipam.AllocateNewAsync(nodeB, pool);

        var lease = (await _ipam.AllocateNewAsync(nodeA, pool)).Record.Leases[0];

        Assert.Equal(nodeB, lease.BlockOwner);
        Assert.Single(await _ipam.ClaimsOfAsync(pool, nodeA));
    }

    private static void AssertInside(string cidr, IEnumerable<string> addresses)
    {
        var prefix = IpPrefix.Parse(cidr);
        var outside = addresses.Where(a => !prefix.Contains(IPAddress.Parse(a))).ToList();
        Assert.True(outside.Count == 0, $"expected every address inside {cidr}; outside: {string.Join(", ", outside)}");
    }

    /// <summary>
    /// A pool of exactly two /28 blocks: node A fills one (14 addresses), node B claims the other
    /// with one address. Returns the pool and the two nodes.
    /// </summary>
    private async Task<(string Pool, string NodeA, string NodeB)> TwoFullishBlocksAsync(bool strict)
    {
        var pool = (await _ipam.CreatePoolAsync(strict ? "strict" : "borrow", TestNames.IPv4(27), 28, strictAffinity: strict)).Name;
        var nodeA = TestNames.Unique("node-a");
        var nodeB = TestNames.Unique("node-b");
        await Task.WhenAll(Enumerable.Range(0, 14).Select(_ => _ipam.AllocateNewAsync(nodeA, pool)));
        var first = (await _ipam.AllocateNewAsync(nodeB, pool)).Record.Leases[0];
        Assert.Equal(nodeB, first.BlockOwner);
        Assert.Single(await _ipam.ClaimsOfAsync(pool, nodeA));
        return (pool, nodeA, nodeB);
    }
}
