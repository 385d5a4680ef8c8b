using System.Globalization;
using System.Net;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>The Pools API against the real server: pool definitions (usage, drains and consistency in the other part).</summary>
public sealed partial class PoolsServiceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
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
