using System.Globalization;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Core.Pools;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using DistIpam.Grains.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace DistIpam.Grains.Pools;

/// <summary>
/// One pool: definition and block claims. Reentrant with group commit (<see cref="WriteBatcher"/>):
/// the claim table is one stored record, so when thousands of nodes claim their first blocks at
/// once, one write covers every claim started meanwhile, instead of two whole-table writes per claim
/// one claim at a time (which made filling 5,000 nodes quadratic). A block is chosen and marked
/// claimed in memory within one turn, so interleaved claims never pick the same block; a claim's
/// intent is durable before its block is initialized, and its confirmation joins a later batch.
/// </summary>
[Reentrant]
public sealed partial class PoolGrain : Grain, IPoolGrain
{
    // Bounds the search for an unclaimed block when reserved ranges swallow whole blocks.
    private const int MaxFullyReservedBlocksSkipped = 65_536;

    private readonly IPersistentState<PoolState> _state;
    private readonly IOptions<IpamGrainOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PoolGrain> _logger;
    private readonly WriteBatcher _writer;
    private bool _repairing;
    private bool _deleting;

    /// <summary>Creates the grain.</summary>
    public PoolGrain(
        [PersistentState("pool", StorageNames.Ipam)] IPersistentState<PoolState> state,
        IOptions<IpamGrainOptions> options,
        TimeProvider time,
        ILogger<PoolGrain> logger)
    {
        _state = state;
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        _logger = logger;
        // After a failed write memory may be ahead of storage: reload on the next call (DESIGN §3 rule 3).
        _writer = new WriteBatcher(this.GetGrainId().ToString(), () => _state.WriteStateAsync(), DeactivateOnIdle, options.Value.UnsafeBrokenVariant, logger);
    }

    private string Name => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task InitializeAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _writer.ThrowIfFailed();
        if (_state.State.Definition == definition)
        {
            return;
        }

        _state.State.Definition = definition;
        await _writer.CommitAsync();
    }

    /// <inheritdoc />
    public async Task<PoolDefinition> GetDefinitionAsync()
    {
        _writer.ThrowIfFailed();
        var definition = await RequireDefinitionAsync();

        // An update is answered only once written (rule 1): so is a read of it.
        await _writer.WhenDurableAsync();
        return definition;
    }

    /// <inheritdoc />
    public async Task<string> ClaimBlockAsync(string node, IReadOnlyCollection<string> knownBlocks)
    {
        ArgumentNullException.ThrowIfNull(knownBlocks);
        _writer.ThrowIfFailed();
        var definition = await RequireDefinitionAsync();
        ThrowIfNotClaimable(definition);
        await RepairPendingClaimsAsync(_options.Value.PendingClaimRepairAge);
        ThrowIfNotClaimable(definition);

        // A claim the node does not know of is one whose reply it lost: hand it back first.
        var forgotten = _state.State.Claims.Values.FirstOrDefault(c => c.Node == node && !knownBlocks.Contains(c.Block));
        if (forgotten is not null)
        {
            await CompleteClaimAsync(forgotten, definition);
            return forgotten.Block;
        }

        var spec = PoolDefinitionMapper.ToSpec(definition);
        var block = NextUnclaimedBlock(spec) ?? throw new IpamGrainException(
            IpamErrorKind.Exhausted,
            $"pool '{Name}' ({spec.Cidr}) has no unclaimed /{spec.BlockPrefixLength} block left ({_state.State.Claims.Count} claimed)");
        await CompleteClaimAsync(await StartClaimAsync(block, node), definition);
        return block;
    }

    /// <inheritdoc />
    public async Task<string> EnsureBlockClaimedAsync(string node, string block)
    {
        _writer.ThrowIfFailed();
        var definition = await RequireDefinitionAsync();
        var spec = PoolDefinitionMapper.ToSpec(definition);
        if (!IpPrefix.TryParse(block, out var prefix, out _) || prefix.PrefixLength != spec.BlockPrefixLength || !spec.Cidr.Contains(prefix))
        {
            throw new IpamGrainException(IpamErrorKind.InvalidArgument, $"'{block}' is not a block of pool '{Name}' ({spec.Cidr})");
        }

        if (_state.State.Claims.TryGetValue(block, out var existing))
        {
            // Idempotent: re-initializes a block whose owner record was lost.
            await CompleteClaimAsync(existing, definition);
            return existing.Node;
        }

        ThrowIfNotClaimable(definition);
        await CompleteClaimAsync(await StartClaimAsync(block, node), definition);
        return node;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlockClaim>> ListClaimsAsync()
    {
        _writer.ThrowIfFailed();
        await RequireDefinitionAsync();
        // Never list a claim whose intent is not yet durable.
        await _writer.WhenDurableAsync();
        return [.. _state.State.Claims.Values.OrderBy(c => c.ClaimedAtUnixMs)];
    }

    /// <inheritdoc />
    public async Task ReleaseClaimAsync(string block, string node)
    {
        _writer.ThrowIfFailed();
        if (_state.State.Claims.TryGetValue(block, out var claim) && claim.Node == node)
        {
            _state.State.Claims.Remove(block);
            await _writer.CommitAsync();
            LogClaimReleased(Name, block, node);
        }
    }

    /// <inheritdoc />
    public async Task<int> RepairPendingClaimsAsync(TimeSpan olderThan)
    {
        _writer.ThrowIfFailed();
        if (_repairing)
        {
            // Interleaved claims need not wait for a repair another call is already running.
            return 0;
        }

        _repairing = true;
        try
        {
            var cutoff = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)olderThan.TotalMilliseconds;
            var stale = _state.State.Claims.Values.Where(c => !c.Confirmed && c.ClaimedAtUnixMs <= cutoff).ToList();
            var repaired = 0;
            foreach (var claim in stale)
            {
                var usage = await Block(claim.Block).GetUsageAsync();
                if (!_state.State.Claims.TryGetValue(claim.Block, out var current) || current != claim)
                {
                    continue; // confirmed, released or re-claimed while we asked the block
                }

                if (usage.Owner is null)
                {
                    _state.State.Claims.Remove(claim.Block);
                }
                else
                {
                    _state.State.Claims[claim.Block] = claim with { Node = usage.Owner, Confirmed = true };
                }

                repaired++;
                LogClaimRepaired(Name, claim.Block, claim.Node, usage.Owner);
            }

            if (repaired > 0)
            {
                await _writer.CommitAsync();
            }

            return repaired;
        }
        finally
        {
            _repairing = false;
        }
    }

    /// <inheritdoc />
    public async Task UpdateDefinitionAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _writer.ThrowIfFailed();
        var before = _state.State.Definition;
        _state.State.Definition = definition;
        await _writer.CommitAsync();
        if (before is null || before.ReservedRanges.SequenceEqual(definition.ReservedRanges))
        {
            return;
        }

        foreach (var claim in _state.State.Claims.Values.Where(c => c.Confirmed).ToList())
        {
            await GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(Name, claim.Block)).UpdateReservedAsync(definition.ReservedRanges);
        }
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        _writer.ThrowIfFailed();
        // No claim may start while the blocks are checked and retired (claims already running are awaited below).
        _deleting = true;
        try
        {
            await _writer.WhenDurableAsync();
            await ThrowIfClusterIpsHeldAsync();
            foreach (var claim in _state.State.Claims.Values.ToList())
            {
                var usage = await Block(claim.Block).GetUsageAsync();
                if (usage.Used > 0)
                {
                    throw new IpamGrainException(
                        IpamErrorKind.FailedPrecondition,
                        $"pool '{Name}' still has {usage.Used} address(es) allocated in block {claim.Block} (node '{claim.Node}')");
                }
            }

            foreach (var claim in _state.State.Claims.Values.ToList())
            {
                await Block(claim.Block).RetireIfEmptyAsync(claim.Node);
            }

            await _writer.WhenDurableAsync();
            await _state.ClearStateAsync();
            _state.State = new PoolState();
            DeactivateOnIdle();
        }
        finally
        {
            _deleting = false;
        }
    }

    /// <summary>A service pool has no blocks: its ClusterIPs live in the range grain of the same name.</summary>
    private async Task ThrowIfClusterIpsHeldAsync()
    {
        if (_state.State.Definition?.Kind != (int)PoolKind.Service)
        {
            return;
        }

        var held = await GrainFactory.GetGrain<IClusterIpRangeGrain>(Name).ListAsync();
        if (held.Count > 0)
        {
            throw new IpamGrainException(
                IpamErrorKind.FailedPrecondition,
                $"pool '{Name}' still has {held.Count} ClusterIP(s) allocated (e.g. {held[0].Value} of service '{held[0].Holder}')");
        }
    }

    private async Task<BlockClaim> StartClaimAsync(string block, string node)
    {
        var claim = new BlockClaim { Block = block, Node = node, ClaimedAtUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds() };
        _state.State.Claims[block] = claim;
        await _writer.CommitAsync();
        return claim;
    }

    private async Task CompleteClaimAsync(BlockClaim claim, PoolDefinition definition)
    {
        // The intent must be durable before the block records its owner (a claim found in memory may still be in a batch).
        await _writer.WhenDurableAsync();
        var settings = new BlockSettings
        {
            Owner = claim.Node,
            Reserved = definition.ReservedRanges,
            HasGateway = definition.Wiring == (int)PoolWiring.Bridged,
            ReleaseCooldown = _options.Value.ReleaseCooldown,
        };
        await Block(claim.Block).InitializeAsync(settings);
        if (!claim.Confirmed && _state.State.Claims.TryGetValue(claim.Block, out var current) && current == claim)
        {
            _state.State.Claims[claim.Block] = claim with { Confirmed = true };
            await _writer.CommitAsync();
            LogClaimed(Name, claim.Block, claim.Node);
        }
    }

    private void ThrowIfNotClaimable(PoolDefinition definition)
    {
        if (definition.Disabled)
        {
            throw new IpamGrainException(IpamErrorKind.FailedPrecondition, $"pool '{Name}' is disabled");
        }

        if (_deleting)
        {
            throw new IpamGrainException(IpamErrorKind.FailedPrecondition, $"pool '{Name}' is being deleted");
        }
    }

    private string? NextUnclaimedBlock(PoolSpec spec)
    {
        var count = spec.Cidr.BlockCount(spec.BlockPrefixLength);
        var index = UInt128.Parse(_state.State.NextBlockIndex, CultureInfo.InvariantCulture) % count;
        var budget = (UInt128)(_state.State.Claims.Count + 1 + MaxFullyReservedBlocksSkipped);
        for (UInt128 tried = 0; tried < count && tried < budget; tried++)
        {
            var candidate = spec.Cidr.BlockAt(spec.BlockPrefixLength, index);
            index = (index + 1) % count;
            var text = candidate.ToString();
            if (!_state.State.Claims.ContainsKey(text) && !FullyReserved(candidate, spec))
            {
                _state.State.NextBlockIndex = index.ToString(CultureInfo.InvariantCulture);
                return text;
            }
        }

        return null;
    }

    private static bool FullyReserved(IpPrefix block, PoolSpec spec) =>
        spec.ReservedRanges.Any(r => r.Contains(block.First) && r.Contains(block.Last));

    private async Task<PoolDefinition> RequireDefinitionAsync()
    {
        if (_state.State.Definition is { } definition)
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

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Pool {Pool}: block {Block} claimed by node {Node}")]
    private partial void LogClaimed(string pool, string block, string node);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Pool {Pool}: block {Block} released by node {Node}")]
    private partial void LogClaimReleased(string pool, string block, string node);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Pool {Pool}: pending claim of block {Block} by node {Node} repaired; owner is {Owner}")]
    private partial void LogClaimRepaired(string pool, string block, string node, string? owner);
}
