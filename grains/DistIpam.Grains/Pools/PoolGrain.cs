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
/// claimed in memory within one turn, so interleaved claims never pick the same block. The claim
/// states live in <see cref="BlockLifecycle"/>; <see cref="PoolGate"/> keeps a definition update
/// or a deletion apart from claims and returns (docs/architecture.md, "Block lifecycle").
/// </summary>
[Reentrant]
public sealed class PoolGrain : Grain, IPoolGrain
{
    private readonly IPersistentState<PoolState> _state;
    private readonly IOptions<IpamGrainOptions> _options;
    private readonly ILogger<PoolGrain> _logger;
    private readonly WriteBatcher _writer;
    private readonly PoolGate _gate = new();
    private readonly BlockLifecycle _lifecycle;
    private bool _deleting;

    /// <summary>Creates the grain.</summary>
    public PoolGrain(
        [PersistentState("pool", StorageNames.Ipam)] IPersistentState<PoolState> state,
        IOptions<IpamGrainOptions> options,
        IGrainFactory grains,
        TimeProvider time,
        ILogger<PoolGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _options = options;
        _logger = logger;
        // After a failed write memory may be ahead of storage: reload on the next call (rule 3).
        _writer = new WriteBatcher(this.GetGrainId().ToString(), () => _state.WriteStateAsync(), DeactivateOnIdle, options.Value.UnsafeBrokenVariant, logger);
        _lifecycle = new BlockLifecycle(state, _writer, grains, this.GetPrimaryKeyString(), options.Value, time, logger);
    }

    private string Name => this.GetPrimaryKeyString();

    private Dictionary<string, BlockClaim> Claims => _state.State.Claims;

    /// <inheritdoc />
    public async Task InitializeAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _writer.ThrowIfFailed();
        if (_state.State.Definition is null)
        {
            _state.State.Definition = definition;
            await _writer.CommitAsync();
        }
        else if (_state.State.Definition != definition)
        {
            // The catalog holds another version (an update that failed between this grain and the
            // catalog): the catalog's is the one of record, applied to the blocks like any update.
            await UpdateDefinitionAsync(definition);
        }
        else
        {
            await _writer.WhenDurableAsync();
        }
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
    public Task<string> ClaimBlockAsync(string node, IReadOnlyCollection<string> knownBlocks)
    {
        ArgumentNullException.ThrowIfNull(knownBlocks);
        _writer.ThrowIfFailed();
        return _gate.SharedAsync(async () =>
        {
            var definition = await RequireDefinitionAsync();
            ThrowIfNotClaimable(definition);
            await _lifecycle.RepairAsync(_options.Value.PendingClaimRepairAge);
            ThrowIfNotClaimable(definition);

            // A claim the node does not know of is one whose reply it lost: hand it back first. Never
            // one being returned: the node gave it up, and its block may be retired already.
            var forgotten = Claims.Values.FirstOrDefault(c => c.Node == node && !c.Returning && !knownBlocks.Contains(c.Block));
            if (forgotten is not null)
            {
                await _lifecycle.CompleteAsync(forgotten, definition);
                return forgotten.Block;
            }

            var spec = PoolDefinitionMapper.ToSpec(definition);
            var block = UnclaimedBlockFinder.Next(spec, _state.State) ?? throw new IpamGrainException(
                IpamErrorKind.Exhausted,
                $"pool '{Name}' ({spec.Cidr}) has no unclaimed /{spec.BlockPrefixLength} block left ({Claims.Count} claimed)");
            await _lifecycle.StartAsync(block, node, definition);
            return block;
        });
    }

    /// <inheritdoc />
    public Task<string> EnsureBlockClaimedAsync(string node, string block)
    {
        _writer.ThrowIfFailed();
        return _gate.SharedAsync(async () =>
        {
            var definition = await RequireDefinitionAsync();
            var spec = PoolDefinitionMapper.ToSpec(definition);
            if (!IpPrefix.TryParse(block, out var prefix, out _) || prefix.PrefixLength != spec.BlockPrefixLength || !spec.Cidr.Contains(prefix))
            {
                throw new IpamGrainException(IpamErrorKind.InvalidArgument, $"'{block}' is not a block of pool '{Name}' ({spec.Cidr})");
            }

            // A block being returned is claimed again only once the return is over (or undone).
            await _lifecycle.SettleReturnAsync(block);
            if (Claims.TryGetValue(block, out var existing))
            {
                // Idempotent: re-initializes a block whose owner record was lost.
                await _lifecycle.CompleteAsync(existing, definition);
                return existing.Node;
            }

            ThrowIfNotClaimable(definition);
            await _lifecycle.StartAsync(block, node, definition);
            return node;
        });
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BlockClaim>> ListClaimsAsync()
    {
        _writer.ThrowIfFailed();
        await RequireDefinitionAsync();
        // Never list a claim whose intent is not yet durable.
        await _writer.WhenDurableAsync();
        return [.. Claims.Values.OrderBy(c => c.ClaimedAtUnixMs)];
    }

    /// <inheritdoc />
    public Task<bool> ReturnBlockAsync(string block, string node)
    {
        _writer.ThrowIfFailed();
        return _gate.SharedAsync(() => _lifecycle.ReturnAsync(block, node));
    }

    /// <inheritdoc />
    public Task<int> RepairPendingClaimsAsync(TimeSpan olderThan)
    {
        _writer.ThrowIfFailed();
        return _gate.SharedAsync(() => _lifecycle.RepairAsync(olderThan));
    }

    /// <inheritdoc />
    public Task UpdateDefinitionAsync(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _writer.ThrowIfFailed();
        return _gate.ExclusiveAsync(() => UpdateAloneAsync(definition));
    }

    /// <inheritdoc />
    public async Task DeleteAsync()
    {
        _writer.ThrowIfFailed();

        // New claims fail from now on; claims in flight finish before the blocks are checked (the gate).
        _deleting = true;
        try
        {
            await _gate.ExclusiveAsync(DeleteAloneAsync);
        }
        finally
        {
            _deleting = false;
        }
    }

    private async Task UpdateAloneAsync(PoolDefinition definition)
    {
        var before = await RequireDefinitionAsync();

        // No claim is in flight (the gate): pending ones are a crash's leftovers; resolve them so
        // every claimed block is initialized and gets the new ranges.
        await _lifecycle.RepairAsync(TimeSpan.Zero);
        var rollout = new ReservedRangeRollout(GrainFactory, Name, [.. Claims.Keys], _logger);
        await rollout.WidenAsync(before.ReservedRanges, definition.ReservedRanges);
        _state.State.Definition = definition;
        await _writer.CommitAsync();
        await rollout.NarrowAsync(definition.ReservedRanges);
    }

    private async Task DeleteAloneAsync()
    {
        await _writer.WhenDurableAsync();
        await ThrowIfClusterIpsHeldAsync();
        await _lifecycle.RepairAsync(TimeSpan.Zero);
        var claims = Claims.Values.ToList();
        foreach (var claim in claims)
        {
            var usage = await Block(claim.Block).GetUsageAsync();
            if (usage.Used > 0)
            {
                throw InUse(claim, $"still has {usage.Used} address(es) allocated");
            }
        }

        // Each block is returned through its lifecycle, so a pod allocating meanwhile keeps its
        // block claimed and the deletion fails instead of leaving a live block behind.
        foreach (var claim in claims)
        {
            if (!await _lifecycle.ReturnAsync(claim.Block, claim.Node))
            {
                throw InUse(claim, "has an address allocated again");
            }
        }

        await _writer.WhenDurableAsync();
        await _state.ClearStateAsync();
        _state.State = new PoolState();
        DeactivateOnIdle();
    }

    private IpamGrainException InUse(BlockClaim claim, string what) => new(
        IpamErrorKind.FailedPrecondition,
        $"pool '{Name}' {what} in block {claim.Block} (node '{claim.Node}')");

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

    private async Task<PoolDefinition> RequireDefinitionAsync()
    {
        if (_state.State.Definition is { } definition)
        {
            return definition;
        }

        // Created in the catalog but not yet pushed here (a crash between the two writes).
        var fromCatalog = await GrainFactory.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key).GetAsync(Name)
            ?? throw new IpamGrainException(IpamErrorKind.NotFound, $"pool '{Name}' does not exist");
        if (_state.State.Definition is null)
        {
            _state.State.Definition = fromCatalog;
            await _writer.CommitAsync();
        }

        return _state.State.Definition;
    }

    private IBlockGrain Block(string block) => GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(Name, block));
}
