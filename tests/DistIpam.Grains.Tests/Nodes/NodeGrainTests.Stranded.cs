using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Nodes;

/// <summary>
/// A block the pool claimed for a node that does not list it (the node's write of the claim met an
/// outage; chaos finding F4) is returned by the node when the reconciliation asks, and only then.
/// </summary>
public sealed partial class NodeGrainTests
{
    [Fact]
    public async Task ReturnStrandedBlockAsync_ClaimTheNodeDoesNotList_ReturnedToPool()
    {
        var pool = (await _ipam.CreatePoolAsync("stranded", TestNames.IPv4(24), 26)).Name;
        var node = TestNames.Unique("node");

        // What a claim whose node-side write failed leaves: claimed and initialized, unknown to the node.
        var block = await _ipam.Pool(pool).ClaimBlockAsync(node, []);

        Assert.True(await _ipam.Node(node).ReturnStrandedBlockAsync(pool, block));
        Assert.Empty(await _ipam.ClaimsOfAsync(pool, node));
        Assert.False(await _ipam.Node(node).ReturnStrandedBlockAsync(pool, block));
    }

    [Fact]
    public async Task ReturnStrandedBlockAsync_NodeWriteLandsButItsReplyIsLost_BlockReturnedOrStillStranded()
    {
        var pool = (await _ipam.CreatePoolAsync("stranded-lost", TestNames.IPv4(24), 26)).Name;
        var node = TestNames.Unique("node");
        var block = await _ipam.Pool(pool).ClaimBlockAsync(node, []);
        var hold = cluster.Gate.HoldWrites(_ipam.Node(node).GetGrainId());

        // The node's write lands and the node is told it failed (a commit with an unknown outcome).
        var returning = _ipam.Node(node).ReturnStrandedBlockAsync(pool, block);
        var arrived = await Task.WhenAny(hold.WriteArrived, returning);
        hold.LoseReply(new TimeoutException("commit outcome unknown (test)"));
        try
        {
            await returning;
        }
        catch (IpamGrainException)
        {
            // Allowed: the caller (the reconciliation) asks again next time.
        }

        // The block must not end up listed by the node (whose drain already ran, and whose empty-block
        // timer would hold it for the grace period) while the pool still claims it for the node:
        // either it is returned, or it is still stranded, so the next scan returns it.
        var claimed = await _ipam.ClaimsOfAsync(pool, node);
        var listed = (await _ipam.Node(node).ListBlocksAsync()).SelectMany(b => b.Owned).ToList();
        Assert.True(claimed.Count == 0 || !listed.Contains(block), $"block {block} is claimed for {node} and adopted by it ({(arrived == returning ? "no node write was made" : "a node write was made")})");
        Assert.True(claimed.Count == 0 || await _ipam.Node(node).ReturnStrandedBlockAsync(pool, block), $"block {block} is still claimed for {node} and the next scan cannot return it");
        Assert.Empty(await _ipam.ClaimsOfAsync(pool, node));
    }

    [Fact]
    public async Task ReturnStrandedBlockAsync_BlockTheNodeLists_Kept()
    {
        var pool = (await _ipam.CreatePoolAsync("not-stranded", TestNames.IPv4(24), 26)).Name;
        var node = TestNames.Unique("node");
        var (handle, record) = await _ipam.AllocateNewAsync(node, pool);
        await _ipam.Handle(handle).ReleaseAsync(null);

        Assert.False(await _ipam.Node(node).ReturnStrandedBlockAsync(pool, record.Leases[0].Block));
        Assert.Equal([record.Leases[0].Block], await _ipam.ClaimsOfAsync(pool, node));
    }
}
