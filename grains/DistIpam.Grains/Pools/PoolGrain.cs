using System.Globalization;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Core.Pools;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistIpam.Grains.Pools;

/// <summary>
/// One pool: definition and block claims. Not reentrant, so claims are serialized; they are rare
/// (one per block of pods on a node) and never on the per-allocation path.
/// </summary>
public sealed partial class PoolGrain(
    [PersistentState("pool", StorageNames.Ipam)] IPersistentState<PoolState> state,
    IOptions<IpamGrainOptions> options,
    TimeProvider time,
    ILogger<PoolGrain> logger) : Grain, IPoolGrain
{
    // Bounds the search for an unclaimed block when reserved ranges swallow whole blocks.
    private const int MaxFullyReservedBlocksSkipped = 65_536;

    private string Name => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task InitializeAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (state.State.Definition == definition)
        {
            return;
        }

        state.State.Definition = definition;
        await WriteAsync();
    }

    /// <inheritdoc />
    public Task<PoolDefinition> GetDefinitionAsync() => RequireDefinitionAsync();

    /// <inheritdoc />
    public async Task<string> ClaimBlockAsync(string node, IReadOnlyCollection<string> knownBlocks)
    {
        ArgumentNullException.ThrowIfNull(knownBlocks);
        var definition = await RequireDefinitionAsync();
        if (definition.Disabled)
        {
            throw new IpamGrainException(IpamErrorKind.FailedPrecondition, $"pool '{Name}' is disabled");
        }

        await RepairPendingClaimsAsync(options.Value.PendingClaimRepairAge);

        // A claim the node does not know of is one whose reply it lost: hand it back first.
        var forgotten = state.State.Claims.Values.FirstOrDefault(c => c.Node == node && !knownBlocks.Contains(c.Block));
        if (forgotten is not null)
        {
            await CompleteClaimAsync(forgotten, definition);
            return forgotten.Block;
        }

        var spec = PoolDefinitionMapper.ToSpec(definition);
        var block = NextUnclaimedBlock(spec) ?? throw new IpamGrainException(
            IpamErrorKind.Exhausted,
            $"pool '{Name}' ({spec.Cidr}) has no unclaimed /{spec.BlockPrefixLength} block left ({state.State.Claims.Count} claimed)");
        await CompleteClaimAsync(await StartClaimAsync(block, node), definition);
        return block;
    }

    /// <inheritdoc />
    public async Task<string> EnsureBlockClaimedAsync(string node, string block)
    {
        var definition = await RequireDefinitionAsync();
        var spec = PoolDefinitionMapper.ToSpec(definition);
        if (!IpPrefix.TryParse(block, out var prefix, out _) || prefix.PrefixLength != spec.BlockPrefixLength || !spec.Cidr.Contains(prefix))
        {
            throw new IpamGrainException(IpamErrorKind.InvalidArgument, $"'{block}' is not a block of pool '{Name}' ({spec.Cidr})");
        }

        if (state.State.Claims.TryGetValue(block, out var existing))
        {
            // Idempotent: re-initializes a block whose owner record was lost.
            await CompleteClaimAsync(existing, definition);
            return existing.Node;
        }

        if (definition.Disabled)
        {
            throw new IpamGrainException(IpamErrorKind.FailedPrecondition, $"pool '{Name}' is disabled");
        }

        await CompleteClaimAsync(await StartClaimAsync(block, node), definition);
        return node;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlockClaim>> ListClaimsAsync()
    {
        await RequireDefinitionAsync();
        return [.. state.State.Claims.Values.OrderBy(c => c.ClaimedAtUnixMs)];
    }

    /// <inheritdoc />
    public async Task ReleaseClaimAsync(string block, string node)
    {
        if (state.State.Claims.TryGetValue(block, out var claim) && claim.Node == node)
        {
            state.State.Claims.Remove(block);
            await WriteAsync();
            LogClaimReleased(Name, block, node);
        }
    }

    /// <inheritdoc />
    public async Task<int> RepairPendingClaimsAsync(TimeSpan olderThan)
    {
        var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)olderThan.TotalMilliseconds;
        var stale = state.State.Claims.Values.Where(c => !c.Confirmed && c.ClaimedAtUnixMs <= cutoff).ToList();
        foreach (var claim in stale)
        {
            var usage = await GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(Name, claim.Block)).GetUsageAsync();
            if (usage.Owner is null)
            {
                state.State.Claims.Remove(claim.Block);
            }
            else
            {
                state.State.Claims[claim.Block] = claim with { Node = usage.Owner, Confirmed = true };
            }

            LogClaimRepaired(Name, claim.Block, claim.Node, usage.Owner);
        }

        if (stale.Count > 0)
        {
            await WriteAsync();
        }

        return stale.Count;
    }

    /// <inheritdoc />
    public async Task UpdateDefinitionAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var before = state.State.Definition;
        state.State.Definition = definition;
        await WriteAsync();
        if (before is null || before.ReservedRanges.SequenceEqual(definition.ReservedRanges))
        {
            return;
        }

        foreach (var claim in state.State.Claims.Values.Where(c => c.Confirmed))
        {
            await GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(Name, claim.Block)).UpdateReservedAsync(definition.ReservedRanges);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        foreach (var claim in state.State.Claims.Values)
        {
            var usage = await Block(claim.Block).GetUsageAsync();
            if (usage.Used > 0)
            {
                throw new IpamGrainException(
                    IpamErrorKind.FailedPrecondition,
                    $"pool '{Name}' still has {usage.Used} address(es) allocated in block {claim.Block} (node '{claim.Node}')");
            }
        }

        foreach (var claim in state.State.Claims.Values.ToList())
        {
            await Block(claim.Block).RetireIfEmptyAsync(claim.Node);
        }

        await state.ClearStateAsync();
        state.State = new PoolState();
        DeactivateOnIdle();
    }

    private async Task<BlockClaim> StartClaimAsync(string block, string node)
    {
        var claim = new BlockClaim { Block = block, Node = node, ClaimedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        state.State.Claims[block] = claim;
        await WriteAsync();
        return claim;
    }

    private async Task CompleteClaimAsync(BlockClaim claim, PoolDefinition definition)
    {
        var settings = new BlockSettings
        {
            Owner = claim.Node,
            Reserved = definition.ReservedRanges,
            HasGateway = definition.Wiring == (int)PoolWiring.Bridged,
            ReleaseCooldown = options.Value.ReleaseCooldown,
        };
        await Block(claim.Block).InitializeAsync(settings);
        if (!claim.Confirmed)
        {
            state.State.Claims[claim.Block] = claim with { Confirmed = true };
            await WriteAsync();
            LogClaimed(Name, claim.Block, claim.Node);
        }
    }

    private string? NextUnclaimedBlock(PoolSpec spec)
    {
        var count = spec.Cidr.BlockCount(spec.BlockPrefixLength);
        var index = UInt128.Parse(state.State.NextBlockIndex, CultureInfo.InvariantCulture) % count;
        var budget = (UInt128)(state.State.Claims.Count + 1 + MaxFullyReservedBlocksSkipped);
        for (UInt128 tried = 0; tried < count && tried < budget; tried++)
        {
            var candidate = spec.Cidr.BlockAt(spec.BlockPrefixLength, index);
            index = (index + 1) % count;
            var text = candidate.ToString();
            if (!state.State.Claims.ContainsKey(text) && !FullyReserved(candidate, spec))
            {
                state.State.NextBlockIndex = index.ToString(CultureInfo.InvariantCulture);
                return text;
            }
        }

        return null;
    }

    private static bool FullyReserved(IpPrefix block, PoolSpec spec) =>
        spec.ReservedRanges.Any(r => r.Contains(block.First) && r.Contains(block.Last));

    private async Task<PoolDefinition> RequireDefinitionAsync()
    {
        if (state.State.Definition is { } definition)
        {
            return definition;
        }

        // Created in the catalog but not yet pushed here (a crash between the two writes).
        var fromCatalog = await GrainFactory.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key).GetAsync(Name)
            ?? throw new IpamGrainException(IpamErrorKind.NotFound, $"pool '{Name}' does not exist");
        await InitializeAsync(fromCatalog);
        return fromCatalog;
    }

    private IBlockGrain Block(string block) => GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(Name, block));

    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory may now be ahead of storage: reload on the next call (DESIGN §3 rule 3).
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Pool {Pool}: block {Block} claimed by node {Node}")]
    private partial void LogClaimed(string pool, string block, string node);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Pool {Pool}: block {Block} released by node {Node}")]
    private partial void LogClaimReleased(string pool, string block, string node);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Pool {Pool}: pending claim of block {Block} by node {Node} repaired; owner is {Owner}")]
    private partial void LogClaimRepaired(string pool, string block, string node, string? owner);
}
