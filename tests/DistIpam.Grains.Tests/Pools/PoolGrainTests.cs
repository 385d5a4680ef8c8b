using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;
using Orleans.Storage;

namespace DistIpam.Grains.Tests.Pools;

[Collection(SharedCluster.Name)]
public sealed partial class PoolGrainTests(ClusterFixture cluster)
{
    // The state name in PoolGrain's [PersistentState("pool", ...)].
    private const string StateName = "pool";

    private readonly IpamDriver _ipam = new(cluster.Grains);

    [Fact]
    public async Task ClaimBlockAsync_ManyNodesAtOnce_EachGetsItsOwnBlockConfirmedInStorage()
    {
        // 64 blocks of /28 in a /22: every block is claimed, by 64 nodes racing on one (reentrant) pool grain.
        var pool = await _ipam.CreatePoolAsync("claims", TestNames.IPv4(22), 28);
        var nodes = Enumerable.Range(0, 64).Select(_ => TestNames.Unique("claimer")).ToList();
        var grain = _ipam.Pool(pool.Name);

        var blocks = await Task.WhenAll(nodes.Select(node => grain.ClaimBlockAsync(node, [])));

        Assert.Equal(64, blocks.Distinct().Count());
        var claims = await grain.ListClaimsAsync();
        Assert.All(claims, c => Assert.True(c.Confirmed, $"claim of {c.Block} by {c.Node} is not confirmed"));
        Assert.Equal(nodes.Zip(blocks).OrderBy(p => p.Second), claims.Select(c => (c.Node, c.Block)).OrderBy(p => p.Block));
        for (var i = 0; i < nodes.Count; i++)
        {
            Assert.Equal(nodes[i], (await _ipam.Block(pool.Name, blocks[i]).GetUsageAsync()).Owner);
        }

        // What storage holds is what the grain answered: the confirmations rode in later batches, not lost.
        var stored = new GrainState<PoolState>();
        await cluster.Storage.ReadStateAsync(StateName, grain.GetGrainId(), stored);
        var storedClaims = Assert.IsType<PoolState>(stored.State).Claims.Values;
        Assert.Equal(64, storedClaims.Count(c => c.Confirmed));

        // The pool is full now: the next claim fails and names the pool.
        var error = await Assert.ThrowsAsync<IpamGrainException>(() => grain.ClaimBlockAsync(TestNames.Unique("late"), []));
        Assert.Equal(IpamErrorKind.Exhausted, error.Kind);
        Assert.Contains($"'{pool.Name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClaimBlockAsync_SameNodeRetriesWithoutTheReply_GetsTheSameBlockBack()
    {
        var pool = await _ipam.CreatePoolAsync("claim-retry", TestNames.IPv4(24), 28);
        var node = TestNames.Unique("node");
        var grain = _ipam.Pool(pool.Name);

        // Two calls at once from a node that knows of neither (a retry racing a lost reply).
        var both = await Task.WhenAll(grain.ClaimBlockAsync(node, []), grain.ClaimBlockAsync(node, []));
        var third = await grain.ClaimBlockAsync(node, [both[0], both[1]]);

        var claims = (await grain.ListClaimsAsync()).Where(c => c.Node == node).Select(c => c.Block).ToHashSet();
        Assert.Contains(both[0], claims);
        Assert.Contains(both[1], claims);
        Assert.Contains(third, claims);
        Assert.DoesNotContain(third, both);
        Assert.Equal(claims.Count, (await grain.ListClaimsAsync()).Count(c => c.Node == node && c.Confirmed));
    }
}
