using DistIpam.Api.V1;

namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>Creates test pools through the Pools API (unique names; callers pick CIDRs that overlap nothing else in the suite).</summary>
public static class PoolSetup
{
    /// <summary>Creates a pod pool and returns its name.</summary>
    public static async Task<string> CreateAsync(
        Pools.PoolsClient pools,
        string prefix,
        string cidr,
        int blockPrefixLength,
        PoolWiring wiring = PoolWiring.Bridged,
        bool strictAffinity = true)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var name = TestIds.New(prefix);
        await pools.CreatePoolAsync(new CreatePoolRequest
        {
            Pool = new Pool
            {
                Name = name,
                Cidr = cidr,
                BlockPrefixLength = blockPrefixLength,
                Kind = PoolKind.Pod,
                Wiring = wiring,
                StrictAffinity = strictAffinity,
            },
        });
        return name;
    }

    /// <summary>How many addresses of <paramref name="pool"/> are allocated now.</summary>
    public static async Task<long> AllocatedAsync(Pools.PoolsClient pools, string pool)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var usage = await pools.GetUsageAsync(new GetUsageRequest { Pool = pool });
        return usage.Pools.Where(p => p.Pool == pool).Sum(p => p.Allocated);
    }
}
