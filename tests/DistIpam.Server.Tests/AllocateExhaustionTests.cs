using System.Globalization;
using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>A full pool refuses with RESOURCE_EXHAUSTED naming it, and the refusal changes nothing.</summary>
public sealed class AllocateExhaustionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>A /29 with /29 blocks: 8 addresses less network, broadcast and the block gateway.</summary>
    private const int TinyPoolCapacity = 5;

    private static int _nextSubnet;

    private readonly Ipam.IpamClient _ipam = fixture.Ipam;
    private readonly Pools.PoolsClient _pools = fixture.Pools;

    [Fact]
    public async Task Allocate_TinyPoolFull_ResourceExhaustedNamingPoolAndNothingChanged()
    {
        var pool = await CreateTinyPoolAsync();
        var node = TestHandles.UniqueId("node");
        var held = await FillAsync(pool, node);
        var usageBefore = await _pools.GetUsageAsync(new GetUsageRequest { Pool = pool });
        var loser = TestHandles.New();

        await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => _ipam.AllocateAsync(TestHandles.Allocate(loser, node, pool)).ResponseAsync, pool);

        Assert.Equal(usageBefore, await _pools.GetUsageAsync(new GetUsageRequest { Pool = pool }));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(loser, [])).ResponseAsync);
        foreach (var (handle, address) in held)
        {
            await _ipam.CheckAsync(TestHandles.Check(handle, [address]));
        }
    }

    [Fact]
    public async Task Allocate_TinyPoolFullFromOtherNode_ResourceExhaustedNamingPool()
    {
        var pool = await CreateTinyPoolAsync();
        await FillAsync(pool, TestHandles.UniqueId("node"));

        await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), TestHandles.UniqueId("other"), pool)).ResponseAsync, pool);
    }

    [Fact]
    public async Task Allocate_DualStackWithFullV4Pool_V6RolledBack()
    {
        var pool = await CreateTinyPoolAsync();
        var node = TestHandles.UniqueId("node");
        await FillAsync(pool, node);
        var v6Before = Assert.Single((await _pools.GetUsageAsync(new GetUsageRequest { Pool = "pods-v6" })).Pools).Allocated;
        var loser = TestHandles.New();

        await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => _ipam.AllocateAsync(TestHandles.Allocate(loser, node, "pods-v6", pool)).ResponseAsync, pool);

        // All or nothing (docs/architecture.md, rule 7): the IPv6 address taken first was given back.
        Assert.Equal(v6Before, Assert.Single((await _pools.GetUsageAsync(new GetUsageRequest { Pool = "pods-v6" })).Pools).Allocated);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(loser, [])).ResponseAsync);
    }

    [Fact]
    public async Task Allocate_AfterReleaseInFullPool_Succeeds()
    {
        var pool = await CreateTinyPoolAsync();
        var node = TestHandles.UniqueId("node");
        var held = await FillAsync(pool, node);
        await _ipam.ReleaseAsync(new ReleaseRequest { Handle = held[0].Handle });

        var response = await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), node, pool));

        // The only free address is the released one: cooldown yields when nothing else is free.
        Assert.Equal(held[0].Address, Assert.Single(response.Addresses).Address);
    }

    private async Task<string> CreateTinyPoolAsync()
    {
        var name = TestHandles.UniqueId("tiny");
        var cidr = $"192.168.77.{(Interlocked.Increment(ref _nextSubnet) * 8).ToString(CultureInfo.InvariantCulture)}/29";
        await _pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = name, Cidr = cidr, BlockPrefixLength = 29 } });
        return name;
    }

    private async Task<List<(Handle Handle, string Address)>> FillAsync(string pool, string node)
    {
        var held = new List<(Handle, string)>();
        for (var i = 0; i < TinyPoolCapacity; i++)
        {
            var handle = TestHandles.New();
            var response = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node, pool));
            held.Add((handle, Assert.Single(response.Addresses).Address));
        }

        Assert.Equal(TinyPoolCapacity, held.Select(h => h.Item2).Distinct(StringComparer.Ordinal).Count());
        return held;
    }
}
