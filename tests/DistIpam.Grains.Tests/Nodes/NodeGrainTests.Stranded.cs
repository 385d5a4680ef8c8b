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
