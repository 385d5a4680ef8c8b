using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Tests.Nodes;

/// <summary>Empty blocks go back to the pool after the grace period (ClusterFixture sets it to 1 s).</summary>
public sealed partial class NodeGrainTests
{
    [Fact]
    public async Task EmptyBlockTimer_SecondBlockEmptiedPastGrace_ReturnsItButKeepsTheBlockInUse()
    {
        // /29 blocks hold 6 addresses: 7 pods take two blocks.
        var pool = (await _ipam.CreatePoolAsync("shrink", TestNames.IPv4(26), 29)).Name;
        var node = TestNames.Unique("node");
        var leases = new List<(string Handle, AddressLease Lease)>();
        for (var i = 0; i < 7; i++)
        {
            var (handle, record) = await _ipam.AllocateNewAsync(node, pool);
            leases.Add((handle, record.Leases[0]));
        }

        var first = leases[0].Lease.Block;
        var second = leases[6].Lease.Block;
        Assert.NotEqual(first, second);
        Assert.Equal([first, second], await _ipam.ClaimsOfAsync(pool, node));

        await _ipam.Handle(leases[6].Handle).ReleaseAsync(node);

        await Eventually.MatchesAsync(
            () => _ipam.ClaimsOfAsync(pool, node),
            claims => claims.SequenceEqual([first]),
            $"node {node} to keep only {first} in pool {pool} after {second} stayed empty past the grace period",
            claims => $"claims [{string.Join(", ", claims)}]");
        var blocks = Assert.Single(await _ipam.Node(node).ListBlocksAsync(), b => b.Pool == pool);
        Assert.Equal([first], blocks.Owned);
        Assert.Null((await _ipam.Block(pool, second).GetUsageAsync()).Owner);

        // Proof that the timer has run past the grace period again since: an empty block of the
        // same node in another pool comes back. The block in use must still be the node's.
        var other = (await _ipam.CreatePoolAsync("shrink-probe", TestNames.IPv4(26), 29)).Name;
        var (probe, _) = await _ipam.AllocateNewAsync(node, other);
        await _ipam.Handle(probe).ReleaseAsync(node);
        await Eventually.MatchesAsync(
            () => _ipam.ClaimsOfAsync(other, node),
            claims => claims.Count == 0,
            $"node {node} to return its empty only block in pool {other}",
            claims => $"claims [{string.Join(", ", claims)}]");

        Assert.Equal([first], await _ipam.ClaimsOfAsync(pool, node));
        var usage = await _ipam.Block(pool, first).GetUsageAsync();
        Assert.Equal((node, 6), (usage.Owner, usage.Used));
    }
}
