using System.Globalization;
using System.Net;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>The Pools API against the real server: definitions, blocks, usage, drains and consistency.</summary>
public sealed class PoolsServiceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan PoolDefinitionPropagation = TimeSpan.FromSeconds(20);
    private static int _nextSubnet;

    private readonly Pools.PoolsClient _pools = fixture.Pools;
    private readonly Ipam.IpamClient _ipam = fixture.Ipam;

    [Fact]
    public async Task ListPools_FreshServer_ListsBootstrapPools()
    {
        var list = await _pools.ListPoolsAsync(new ListPoolsRequest());

        var byName = list.Pools.ToDictionary(p => p.Name);
        Assert.True(byName.Keys.ToHashSet().IsSupersetOf(["pods-v4", "pods-v6", "services-v4", "services-v6"]), $"saw [{string.Join(", ", byName.Keys)}]");
        Assert.Equal(("10.244.0.0/16", 26, PoolKind.Pod, IpFamily.V4), Describe(byName["pods-v4"]));
        Assert.Equal(("fd00:10:244::/56", 122, PoolKind.Pod, IpFamily.V6), Describe(byName["pods-v6"]));
        Assert.Equal(PoolKind.Service, byName["services-v4"].Kind);
    }

    [Fact]
    public async Task GetPool_Unknown_NotFoundNamingPool()
    {
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _pools.GetPoolAsync(new GetPoolRequest { Name = "no-such-pool" }).ResponseAsync, "no-such-pool");
    }

    [Fact]
    public async Task CreatePool_Valid_GetAndListReturnIt()
    {
        var name = TestHandles.UniqueId("v6pool");

        var created = await _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = name, Cidr = "fd00:77::/120", BlockPrefixLength = 124, Wiring = PoolWiring.Routed } });

        var fetched = await _pools.GetPoolAsync(new GetPoolRequest { Name = name });
        Assert.Equal(created, fetched);
        Assert.Equal(("fd00:77::/120", 124, PoolKind.Pod, IpFamily.V6), Describe(fetched));
        Assert.Equal(PoolWiring.Routed, fetched.Wiring);
        Assert.Contains((await _pools.ListPoolsAsync(new ListPoolsRequest())).Pools, p => p.Name == name);
    }

    [Fact]
    public async Task CreatePool_RoutedPool_AllocateReturnsHostPrefixWithoutGateway()
    {
        var name = await CreatePoolAsync(28, wiring: PoolWiring.Routed);

        var response = await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), TestHandles.UniqueId("node"), name));

        var address = Assert.Single(response.Addresses);
        Assert.EndsWith("/32", address.Address, StringComparison.Ordinal);
        Assert.Equal("", address.Gateway);
    }

    [Fact]
    public async Task CreatePool_ExistingName_AlreadyExistsNamingPool()
    {
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = "pods-v4", Cidr = "10.252.0.0/24" } }).ResponseAsync, "pods-v4");
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0")]
    [InlineData("not-a-cidr")]
    [InlineData("10.0.0.0/31")]
    public async Task CreatePool_BadCidr_InvalidArgumentNamingCidr(string cidr)
    {
        var name = TestHandles.UniqueId("bad");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = name, Cidr = cidr } }).ResponseAsync, cidr);

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _pools.GetPoolAsync(new GetPoolRequest { Name = name }).ResponseAsync);
    }

    [Fact]
    public async Task CreatePool_OverlappingPoolOfSameFamily_InvalidArgumentNamingBoth()
    {
        var name = TestHandles.UniqueId("overlap");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = name, Cidr = "10.244.128.0/20" } }).ResponseAsync, "10.244.128.0/20", "pods-v4");
    }

    [Fact]
    public async Task CreatePool_BlockLargerThanPool_InvalidArgumentNamingField()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = TestHandles.UniqueId("bad"), Cidr = "10.253.0.0/24", BlockPrefixLength = 22 } }).ResponseAsync, "blockPrefixLength");
    }

    [Fact]
    public async Task CreatePool_BadName_InvalidArgumentNamingIt()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = "Bad_Name", Cidr = "10.253.1.0/24" } }).ResponseAsync, "Bad_Name");
    }

    [Fact]
    public async Task UpdatePool_ReservedRanges_NeverHandedOut()
    {
        var (name, subnet) = await CreatePoolWithSubnetAsync(28, poolPrefixLength: 28);
        var pool = await _pools.GetPoolAsync(new GetPoolRequest { Name = name });
        var reservedFirst = Offset(subnet, 2);
        var reservedLast = Offset(subnet, 9);
        pool.ReservedRanges.Add($"{reservedFirst}-{reservedLast}");

        var updated = await _pools.UpdatePoolAsync(new UpdatePoolRequest { Pool = pool });

        Assert.Equal([$"{reservedFirst}-{reservedLast}"], updated.ReservedRanges);
        var node = TestHandles.UniqueId("node");
        var handed = new List<IPAddress>();
        for (var i = 0; i < 16; i++)
        {
            try
            {
                var response = await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), node, name));
                handed.Add(IPAddress.Parse(IpamAllocateTests.Bare(response.Addresses[0].Address)));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                break;
            }
        }

        // /28: network .0, gateway .1, reserved .2-.9, broadcast .15 leave .10-.14.
        Assert.Equal(Enumerable.Range(10, 5).Select(i => Offset(subnet, i)), handed.Select(a => a.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UpdatePool_Disabled_AllocateFailedPreconditionUntilEnabled()
    {
        var name = await CreatePoolAsync(28);
        var pool = await _pools.GetPoolAsync(new GetPoolRequest { Name = name });
        pool.Disabled = true;
        await _pools.UpdatePoolAsync(new UpdatePoolRequest { Pool = pool });
        var handle = TestHandles.New();
        var node = TestHandles.UniqueId("node");

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => _ipam.AllocateAsync(TestHandles.Allocate(handle, node, name)).ResponseAsync, name, "disabled");

        pool.Disabled = false;
        await _pools.UpdatePoolAsync(new UpdatePoolRequest { Pool = pool });

        // Node grains trust their copy of a pool definition for DistIpam:Grains:PoolDefinitionCacheTtl (5 s).
        AllocateResponse? response = null;
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    response = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node, name));
                    return null;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
                {
                    return e.Status.Detail;
                }
            },
            PoolDefinitionPropagation,
            $"Allocate from re-enabled pool '{name}' to succeed");
        await _ipam.CheckAsync(TestHandles.Check(handle, [Assert.Single(response!.Addresses).Address]));
    }

    [Fact]
    public async Task UpdatePool_ChangedCidr_FailedPreconditionAndUnchanged()
    {
        var name = await CreatePoolAsync(28);
        var pool = await _pools.GetPoolAsync(new GetPoolRequest { Name = name });
        var original = pool.Cidr;
        pool.Cidr = "10.254.254.0/24";

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => _pools.UpdatePoolAsync(new UpdatePoolRequest { Pool = pool }).ResponseAsync, name);

        Assert.Equal(original, (await _pools.GetPoolAsync(new GetPoolRequest { Name = name })).Cidr);
    }

    [Fact]
    public async Task DeletePool_WhileAllocated_FailedPreconditionThenDeletedAfterRelease()
    {
        var name = await CreatePoolAsync(28);
        var handle = TestHandles.New();
        await _ipam.AllocateAsync(TestHandles.Allocate(handle, TestHandles.UniqueId("node"), name));

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => _pools.DeletePoolAsync(new DeletePoolRequest { Name = name }).ResponseAsync, name);
        Assert.Equal(name, (await _pools.GetPoolAsync(new GetPoolRequest { Name = name })).Name);

        await _ipam.ReleaseAsync(new ReleaseRequest { Handle = handle });
        await _pools.DeletePoolAsync(new DeletePoolRequest { Name = name });
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _pools.GetPoolAsync(new GetPoolRequest { Name = name }).ResponseAsync, name);
    }

    [Fact]
    public async Task DeletePool_Unknown_NotFoundNamingPool()
    {
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _pools.DeletePoolAsync(new DeletePoolRequest { Name = "no-such-pool" }).ResponseAsync, "no-such-pool");
    }

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

    private static (string Cidr, int Prefix, PoolKind Kind, IpFamily Family) Describe(Pool pool) =>
        (pool.Cidr, pool.BlockPrefixLength, pool.Kind, pool.Family);

    private static string Offset(string subnet, int offset)
    {
        var bytes = IPAddress.Parse(subnet).GetAddressBytes();
        bytes[^1] = checked((byte)(bytes[^1] + offset));
        return new IPAddress(bytes).ToString();
    }

    private async Task<string> CreatePoolAsync(int blockPrefixLength, PoolWiring wiring = PoolWiring.Bridged) =>
        (await CreatePoolWithSubnetAsync(blockPrefixLength, wiring)).Name;

    /// <summary>A fresh pool in its own 172.20.n.0/24, so tests sharing the server never overlap.</summary>
    private async Task<(string Name, string Subnet)> CreatePoolWithSubnetAsync(int blockPrefixLength, PoolWiring wiring = PoolWiring.Bridged, int poolPrefixLength = 24)
    {
        var subnet = $"172.20.{Interlocked.Increment(ref _nextSubnet).ToString(CultureInfo.InvariantCulture)}.0";
        var name = TestHandles.UniqueId("pool");
        var cidr = $"{subnet}/{poolPrefixLength.ToString(CultureInfo.InvariantCulture)}";
        await _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = name, Cidr = cidr, BlockPrefixLength = blockPrefixLength, Wiring = wiring } });
        return (name, subnet);
    }

    private async Task<List<(Handle Handle, string Address)>> AllocateManyAsync(string pool, string node, int count)
    {
        var held = new List<(Handle, string)>();
        for (var i = 0; i < count; i++)
        {
            var handle = TestHandles.New();
            var response = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node, pool));
            held.Add((handle, response.Addresses[0].Address));
        }

        return held;
    }
}
