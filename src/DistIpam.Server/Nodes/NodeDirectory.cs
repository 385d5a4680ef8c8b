using DistIpam.Api.V1;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Pools;
using DistIpam.Server.Services;
using PoolKind = DistIpam.Core.Pools.PoolKind;

namespace DistIpam.Server.Nodes;

/// <summary>
/// Nodes as operators see them: every node with a lease or a block claim, its blocks and
/// allocations (from the pools' claims and the blocks' usage) and its lease state.
/// </summary>
public sealed class NodeDirectory(IGrainFactory grains, PoolDirectory pools, NodeLeaseOptions options, TimeProvider time)
{
    /// <summary>Every known node, in name order.</summary>
    public async Task<IReadOnlyList<NodeInfo>> ListAsync()
    {
        var holdings = await HoldingsAsync(null);
        var names = new SortedSet<string>(await grains.GetGrain<INodeRegistryGrain>(INodeRegistryGrain.Key).ListAsync(), StringComparer.Ordinal);
        names.UnionWith(holdings.Keys);
        var result = new List<NodeInfo>();
        foreach (var name in names)
        {
            result.Add(await InfoAsync(name, holdings.GetValueOrDefault(name), withBlockNames: false));
        }

        return result;
    }

    /// <summary>One node, or null when nothing knows it.</summary>
    public async Task<NodeInfo?> GetAsync(string node)
    {
        var holdings = await HoldingsAsync(node);
        var info = await InfoAsync(node, holdings.GetValueOrDefault(node), withBlockNames: true);
        return info.LeaseState == LeaseState.Unknown && info.Blocks == 0 ? null : info;
    }

    /// <summary>The lease state of <paramref name="lease"/> now.</summary>
    public LeaseState StateOf(NodeLease? lease)
    {
        if (lease is null)
        {
            return LeaseState.Unknown;
        }

        if (lease.DrainedAtUnixMs != 0 && lease.LastSeenUnixMs <= lease.DrainedAtUnixMs)
        {
            return LeaseState.Drained;
        }

        if (lease.LastSeenUnixMs == 0)
        {
            return LeaseState.Unknown;
        }

        var age = time.GetUtcNow().ToUnixTimeMilliseconds() - lease.LastSeenUnixMs;
        return age <= options.LeaseDuration.TotalMilliseconds ? LeaseState.Alive : LeaseState.Expired;
    }

    private async Task<NodeInfo> InfoAsync(string node, Holdings? holdings, bool withBlockNames)
    {
        var lease = await grains.GetGrain<INodeLeaseGrain>(node).GetAsync();
        var info = new NodeInfo
        {
            Name = node,
            LeaseState = StateOf(lease),
            LastSeenUnixMs = lease?.LastSeenUnixMs ?? 0,
            FirstSeenUnixMs = lease?.FirstSeenUnixMs ?? 0,
            AgentVersion = lease?.AgentVersion ?? "",
            Blocks = holdings?.Blocks.Count ?? 0,
            Allocations = holdings?.Allocations ?? 0,
            DrainedAtUnixMs = lease?.DrainedAtUnixMs ?? 0,
            DrainReason = lease?.DrainReason ?? "",
        };
        info.Addresses.AddRange(lease?.Addresses ?? []);
        if (withBlockNames && holdings is not null)
        {
            info.BlockNames.AddRange(holdings.Blocks);
        }

        return info;
    }

    private async Task<Dictionary<string, Holdings>> HoldingsAsync(string? only)
    {
        var result = new Dictionary<string, Holdings>(StringComparer.Ordinal);
        foreach (var pool in (await pools.AllAsync()).Values.Where(p => p.Kind == (int)PoolKind.Pod).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            foreach (var claim in await grains.GetGrain<IPoolGrain>(pool.Name).ListClaimsAsync())
            {
                if (only is not null && claim.Node != only)
                {
                    continue;
                }

                var usage = await grains.GetGrain<IBlockGrain>(BlockKey.Of(pool.Name, claim.Block)).GetUsageAsync();
                if (!result.TryGetValue(claim.Node, out var holdings))
                {
                    result[claim.Node] = holdings = new Holdings();
                }

                holdings.Blocks.Add($"{pool.Name}/{claim.Block}");
                holdings.Allocations += usage.Used;
            }
        }

        return result;
    }

    private sealed class Holdings
    {
        public List<string> Blocks { get; } = [];

        public long Allocations { get; set; }
    }
}
