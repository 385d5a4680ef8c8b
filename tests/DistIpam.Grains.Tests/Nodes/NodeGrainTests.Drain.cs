namespace DistIpam.Grains.Tests.Nodes;

/// <summary>Draining a dead node (INodeGrain.ReleaseAllAsync).</summary>
public sealed partial class NodeGrainTests
{
    [Fact]
    public async Task ReleaseAllAsync_NodeWithDualStackPods_FreesItsAddressesAndReturnsItsBlocks()
    {
        var v4 = (await _ipam.CreatePoolAsync("drain-v4", TestNames.IPv4(26), 28)).Name;
        var v6 = (await _ipam.CreatePoolAsync("drain-v6", TestNames.IPv6(64), 122)).Name;
        var node = TestNames.Unique("node");
        var bystander = TestNames.Unique("bystander");
        var handles = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            handles.Add((await _ipam.AllocateNewAsync(node, v4, v6)).Handle);
        }

        var (kept, keptRecord) = await _ipam.AllocateNewAsync(bystander, v4, v6);

        var result = await _ipam.Node(node).ReleaseAllAsync(long.MaxValue);

        Assert.Equal(10, result.AddressesReleased);
        Assert.Equal(2, result.BlocksReleased.Count);
        Assert.Empty(await _ipam.Node(node).ListBlocksAsync());
        Assert.Empty(await _ipam.Node(node).ListAllocationsAsync());
        Assert.Empty(await _ipam.ClaimsOfAsync(v4, node));
        Assert.Empty(await _ipam.ClaimsOfAsync(v6, node));
        var left = (await _ipam.AllocationsAsync(v4)).Concat(await _ipam.AllocationsAsync(v6)).Select(l => l.Address).Order();
        Assert.Equal(keptRecord.Leases.Select(l => l.Address).Order(), left);

        // The drained pods' handles can still be deleted (the runtime retries DEL): nothing to free.
        foreach (var handle in handles)
        {
            Assert.Empty(await _ipam.Handle(handle).ReleaseAsync(node));
            Assert.Null(await _ipam.Handle(handle).GetAsync());
        }

        Assert.Equal(2, (await _ipam.Handle(kept).ReleaseAsync(bystander)).Count);
    }

    [Fact]
    public async Task ReleaseAllAsync_HandleAllocatedAfterTheBound_KeepsAllItsAddressesAndTheirBlocks()
    {
        // The GC drains a node judged dead when its lease expired; an ADD after that (the node lives)
        // lands in the same blocks while the drain runs.
        var v4 = (await _ipam.CreatePoolAsync("bound-v4", TestNames.IPv4(26), 28)).Name;
        var v6 = (await _ipam.CreatePoolAsync("bound-v6", TestNames.IPv6(64), 122)).Name;
        var node = TestNames.Unique("node");
        var (old, oldRecord) = await _ipam.AllocateNewAsync(node, v4, v6);
        var bound = oldRecord.Leases.Max(l => l.AllocatedAtUnixMs);
        // Stamps are whole milliseconds: the late ADD must come in a later one than the bound.
        Assert.True(
            SpinWait.SpinUntil(() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() > bound, TimeSpan.FromSeconds(1)),
            $"expected the clock to pass the first ADD's stamp {bound} within 1 s");

        var (late, lateRecord) = await _ipam.AllocateNewAsync(node, v4, v6);
        Assert.True(lateRecord.Leases.All(l => l.AllocatedAtUnixMs > bound), $"the late ADD must be stamped after {bound}");

        var result = await _ipam.Node(node).ReleaseAllAsync(bound);

        Assert.Equal((2L, 2L), (result.AddressesReleased, result.AddressesSpared));
        Assert.Empty(result.BlocksReleased);
        var held = (await _ipam.Node(node).ListAllocationsAsync()).Select(l => (l.Address, l.HandleId)).Order();
        Assert.Equal(lateRecord.Leases.Select(l => (l.Address, late)).Order(), held);
        Assert.Equal(2, (await _ipam.ClaimsOfAsync(v4, node)).Count + (await _ipam.ClaimsOfAsync(v6, node)).Count);
        Assert.Equal(2, (await _ipam.Handle(late).ReleaseAsync(node)).Count);
        Assert.Empty(await _ipam.Handle(old).ReleaseAsync(node));
    }

    [Fact]
    public async Task ReleaseAllAsync_CalledAgainOrForUnknownNode_ReleasesNothing()
    {
        var pool = (await _ipam.CreatePoolAsync("drain-twice", TestNames.IPv4(26), 28)).Name;
        var node = TestNames.Unique("node");
        await _ipam.AllocateNewAsync(node, pool);
        await _ipam.Node(node).ReleaseAllAsync(long.MaxValue);

        var again = await _ipam.Node(node).ReleaseAllAsync(long.MaxValue);
        var unknown = await _ipam.Node(TestNames.Unique("never")).ReleaseAllAsync(long.MaxValue);

        Assert.Equal((0L, 0), (again.AddressesReleased, again.BlocksReleased.Count));
        Assert.Equal((0L, 0), (unknown.AddressesReleased, unknown.BlocksReleased.Count));
    }

    [Fact]
    public async Task ReleaseAllAsync_OwnBlockHoldsAnotherNodesBorrowedAddress_KeepsThatAddress()
    {
        // One /28 block: node B can only borrow from node A's block.
        var pool = (await _ipam.CreatePoolAsync("drain-borrowed", TestNames.IPv4(28), 28)).Name;
        var nodeA = TestNames.Unique("node-a");
        var nodeB = TestNames.Unique("node-b");
        await _ipam.AllocateNewAsync(nodeA, pool);
        var (borrower, borrowed) = await _ipam.AllocateNewAsync(nodeB, pool);
        Assert.Equal(nodeA, borrowed.Leases[0].BlockOwner);

        var result = await _ipam.Node(nodeA).ReleaseAllAsync(long.MaxValue);

        Assert.Equal(1, result.AddressesReleased);
        var held = Assert.Single(await _ipam.AllocationsAsync(pool));
        Assert.Equal((borrowed.Leases[0].Address, borrower), (held.Address, held.HandleId));

        // Nobody else is handed the borrowed address while its pod lives.
        var next = (await _ipam.AllocateNewAsync(TestNames.Unique("node-c"), pool)).Record.Leases[0];
        Assert.NotEqual(held.Address, next.Address);
    }

    [Fact]
    public async Task ReleaseAsync_StaleHandleAfterDrainAndBlockReclaimed_DoesNotFreeTheNewHolder()
    {
        // A /30 pool is one block of two addresses, so node B gets node A's old block back.
        var pool = (await _ipam.CreatePoolAsync("aba", TestNames.IPv4(30), 30)).Name;
        var nodeA = TestNames.Unique("node-a");
        var nodeB = TestNames.Unique("node-b");
        var (stale, staleRecord) = await _ipam.AllocateNewAsync(nodeA, pool);
        await _ipam.Node(nodeA).ReleaseAllAsync(long.MaxValue);
        var (fresh, freshRecord) = await _ipam.AllocateNewAsync(nodeB, pool);
        Assert.Equal(staleRecord.Leases[0].Block, freshRecord.Leases[0].Block);

        var released = await _ipam.Handle(stale).ReleaseAsync(nodeA);

        Assert.Empty(released);
        var held = Assert.Single(await _ipam.AllocationsAsync(pool));
        Assert.Equal((freshRecord.Leases[0].Address, fresh), (held.Address, held.HandleId));
    }
}
