using System.Net;
using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>The Pools API: blocks, usage, node drains and the consistency check.</summary>
public sealed partial class PoolsServiceTests
{
    [Fact]
    public async Task ListBlocks_TwoNodes_ShowsOwnerNodeAndUsage()
    {
        var name = await CreatePoolAsync(28);
        var nodeA = TestHandles.UniqueId("node-a");
        var nodeB = TestHandles.UniqueId("node-b");
        await AllocateManyAsync(name, nodeA, 3);
        await AllocateManyAsync(name, nodeB, 1);

        var blocks = await _pools.ListBlocksAsync(new ListBlocksRequest { Pool = name });
        var onlyB = await _pools.ListBlocksAsync(new ListBlocksRequest { Pool = name, Node = nodeB });

        Assert.Equal(
            [(nodeA, 3, "confirmed"), (nodeB, 1, "confirmed")],
            blocks.Blocks.Select(b => (b.Node, b.Used, b.Claim)).OrderBy(b => b.Node, StringComparer.Ordinal));
        Assert.All(blocks.Blocks, b => Assert.Equal(name, b.Pool));
        Assert.All(blocks.Blocks, b => Assert.Equal(13, b.Capacity));
        Assert.All(blocks.Blocks, b => Assert.True(IPNetwork.Parse(b.Cidr).Contains(IPAddress.Parse(b.Gateway)), $"gateway {b.Gateway} outside {b.Cidr}"));
        Assert.Equal(nodeB, Assert.Single(onlyB.Blocks).Node);
    }

    [Fact]
    public async Task GetUsage_TwoNodes_CountsPerPoolAndNode()
    {
        var name = await CreatePoolAsync(28);
        var nodeA = TestHandles.UniqueId("node-a");
        var nodeB = TestHandles.UniqueId("node-b");
        await AllocateManyAsync(name, nodeA, 3);
        await AllocateManyAsync(name, nodeB, 2);

        var usage = await _pools.GetUsageAsync(new GetUsageRequest { Pool = name });

        var pool = Assert.Single(usage.Pools);
        Assert.Equal((name, "256", 2L, "14", 5L), (pool.Pool, pool.Size, pool.BlocksClaimed, pool.BlocksFree, pool.Allocated));
        Assert.Equal(
            [(nodeA, 1L, 3L), (nodeB, 1L, 2L)],
            usage.Nodes.Select(n => (n.Node, n.Blocks, n.Allocated)).OrderBy(n => n.Node, StringComparer.Ordinal));
        var onlyA = await _pools.GetUsageAsync(new GetUsageRequest { Pool = name, Node = nodeA });
        Assert.Equal(nodeA, Assert.Single(onlyA.Nodes).Node);
    }

    [Fact]
    public async Task ReleaseNode_NodeWithAllocations_ReleasesAddressesAndBlocks()
    {
        var name = await CreatePoolAsync(28);
        var dead = TestHandles.UniqueId("dead");
        var alive = TestHandles.UniqueId("alive");
        var deadHandles = await AllocateManyAsync(name, dead, 3);
        var aliveHandles = await AllocateManyAsync(name, alive, 1);

        var drained = await _pools.ReleaseNodeAsync(new ReleaseNodeRequest { Node = dead });

        Assert.Equal(3, drained.AddressesReleased);
        Assert.Single(drained.BlocksReleased);
        var blocks = await _pools.ListBlocksAsync(new ListBlocksRequest { Pool = name });
        Assert.Equal(alive, Assert.Single(blocks.Blocks).Node);
        var usage = Assert.Single((await _pools.GetUsageAsync(new GetUsageRequest { Pool = name })).Pools);
        Assert.Equal(1, usage.Allocated);
        await _ipam.CheckAsync(TestHandles.Check(aliveHandles[0].Handle, [aliveHandles[0].Address]));
        foreach (var (handle, address) in deadHandles)
        {
            await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(handle, [address])).ResponseAsync, TestHandles.KeyOf(handle));
        }
    }

    [Fact]
    public async Task ReleaseNode_ThenAllocateDrainedHandleInFullPool_NoAddressHandedOutTwice()
    {
        var (name, _) = await CreatePoolWithSubnetAsync(28, poolPrefixLength: 28);
        var dead = TestHandles.UniqueId("dead");
        var (drainedHandle, _) = (await AllocateManyAsync(name, dead, 1))[0];
        await _pools.ReleaseNodeAsync(new ReleaseNodeRequest { Node = dead });
        var others = new List<string>();
        var alive = TestHandles.UniqueId("alive");
        for (var i = 0; i < 13; i++)
        {
            others.Add((await AllocateManyAsync(name, alive, 1))[0].Address);
        }

        // The pool is full now; the drained handle must not get back an address someone else holds.
        try
        {
            var again = await _ipam.AllocateAsync(TestHandles.Allocate(drainedHandle, dead, name));
            Assert.DoesNotContain(Assert.Single(again.Addresses).Address, others);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
        }
    }

    [Fact]
    public async Task CheckConsistency_AfterReleaseNode_EmptyReport()
    {
        var name = await CreatePoolAsync(28);
        var dead = TestHandles.UniqueId("dead");
        await AllocateManyAsync(name, dead, 2);
        await _pools.ReleaseNodeAsync(new ReleaseNodeRequest { Node = dead });

        var report = await _pools.CheckConsistencyAsync(new CheckConsistencyRequest { Pool = name });

        Assert.True(report.Equals(new ConsistencyReport()), $"expected an empty report, saw {report}");
    }

    [Fact]
    public async Task CheckConsistency_HealthyServer_EmptyReport()
    {
        var name = await CreatePoolAsync(28);
        var handles = await AllocateManyAsync(name, TestHandles.UniqueId("node"), 4);
        await _ipam.ReleaseAsync(new ReleaseRequest { Handle = handles[0].Handle });
        await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), TestHandles.UniqueId("node")));

        var report = await _pools.CheckConsistencyAsync(new CheckConsistencyRequest());

        Assert.True(report.Equals(new ConsistencyReport()), $"expected an empty report, saw {report}");
    }
}
