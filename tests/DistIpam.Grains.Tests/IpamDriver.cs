using DistIpam.Core.Pools;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Nodes;
using DistIpam.Grains.Pools;

namespace DistIpam.Grains.Tests;

/// <summary>
/// The calls a test makes, as the gRPC layer would make them: pools through the catalog,
/// allocations through handle grains, and read-only views of pools and blocks.
/// </summary>
internal sealed class IpamDriver(IGrainFactory grains)
{
    /// <summary>The CNI network name every test handle uses.</summary>
    public const string Network = "grain-tests";

    public IGrainFactory Grains { get; } = grains;

    public IPoolCatalogGrain Catalog => Grains.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key);

    /// <summary>Creates a routed pool (no gateway, so every address but network/broadcast is allocatable).</summary>
    public Task<PoolDefinition> CreatePoolAsync(
        string purpose,
        string cidr,
        int blockPrefixLength,
        bool strictAffinity = false,
        int maxBlocksPerNode = 0,
        PoolWiring wiring = PoolWiring.Routed) =>
        Catalog.CreateAsync(Definition(TestNames.Unique(purpose), cidr, blockPrefixLength, strictAffinity, maxBlocksPerNode, wiring));

    public static PoolDefinition Definition(
        string name,
        string cidr,
        int blockPrefixLength,
        bool strictAffinity = false,
        int maxBlocksPerNode = 0,
        PoolWiring wiring = PoolWiring.Routed) => new()
        {
            Name = name,
            Cidr = cidr,
            BlockPrefixLength = blockPrefixLength,
            StrictAffinity = strictAffinity,
            MaxBlocksPerNode = maxBlocksPerNode,
            Wiring = (int)wiring,
        };

    /// <summary>A handle key for a fresh container.</summary>
    public static string NewHandle() => HandleKey.Of(Network, TestNames.Unique("c"), "eth0");

    public IHandleGrain Handle(string handle) => Grains.GetGrain<IHandleGrain>(handle);

    public INodeGrain Node(string node) => Grains.GetGrain<INodeGrain>(node);

    public IPoolGrain Pool(string pool) => Grains.GetGrain<IPoolGrain>(pool);

    public IBlockGrain Block(string pool, string block) => Grains.GetGrain<IBlockGrain>(BlockKey.Of(pool, block));

    public IBlockGrain Block(AddressLease lease) => Block(lease.Pool, lease.Block);

    /// <summary>CNI ADD: one address per pool for <paramref name="handle"/> on <paramref name="node"/>.</summary>
    public Task<HandleRecord> AllocateAsync(string handle, string node, params string[] pools) =>
        Handle(handle).AllocateAsync(new HandleAllocationRequest { Node = node, Pools = pools });

    /// <summary>CNI ADD with requested addresses (same order as the pools).</summary>
    public Task<HandleRecord> AllocateRequestedAsync(string handle, string node, string pool, string address) =>
        Handle(handle).AllocateAsync(new HandleAllocationRequest { Node = node, Pools = [pool], RequestedAddresses = [address] });

    /// <summary>ADD for a fresh handle; returns the handle key and its record.</summary>
    public async Task<(string Handle, HandleRecord Record)> AllocateNewAsync(string node, params string[] pools)
    {
        var handle = NewHandle();
        return (handle, await AllocateAsync(handle, node, pools));
    }

    /// <summary>Usage of every claimed block of a pool, in claim order.</summary>
    public async Task<IReadOnlyList<BlockUsage>> UsageAsync(string pool)
    {
        var usages = new List<BlockUsage>();
        foreach (var claim in await Pool(pool).ListClaimsAsync())
        {
            usages.Add(await Block(pool, claim.Block).GetUsageAsync());
        }

        return usages;
    }

    /// <summary>Addresses in use across the claimed blocks of a pool.</summary>
    public async Task<int> UsedAsync(string pool) => (await UsageAsync(pool)).Sum(u => u.Used);

    /// <summary>Every allocation across the claimed blocks of a pool.</summary>
    public async Task<IReadOnlyList<AddressLease>> AllocationsAsync(string pool)
    {
        var leases = new List<AddressLease>();
        foreach (var claim in await Pool(pool).ListClaimsAsync())
        {
            leases.AddRange(await Block(pool, claim.Block).ListAllocationsAsync());
        }

        return leases;
    }

    /// <summary>The blocks of <paramref name="pool"/> the pool says <paramref name="node"/> has claimed.</summary>
    public async Task<IReadOnlyList<string>> ClaimsOfAsync(string pool, string node) =>
        [.. (await Pool(pool).ListClaimsAsync()).Where(c => c.Node == node).Select(c => c.Block)];
}
