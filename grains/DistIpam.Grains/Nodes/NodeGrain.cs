using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using DistIpam.Grains.Pools;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace DistIpam.Grains.Nodes;

/// <summary>
/// One node: picks the block for each allocation. Reentrant so pods on one node allocate in
/// parallel (their blocks group-commit); claims of new blocks are serialized per pool so a burst
/// of pods claims one block, not one each. The node's state changes only when it gains or loses
/// a block, never per allocation.
/// </summary>
[Reentrant]
public sealed partial class NodeGrain : Grain, INodeGrain
{
    // Bounds the claim rounds of one allocation (each round claims a block or waits for a claim).
    private const int MaxClaimRounds = 16;

    private readonly IPersistentState<NodeState> _state;
    private readonly IpamGrainOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NodeGrain> _logger;
    private readonly WriteBatcher _writer;
    private readonly Dictionary<string, int> _freeHint = new(StringComparer.Ordinal);
    private readonly NodeClaimGate _claims = new();
    private readonly Dictionary<string, (PoolDefinition Definition, DateTimeOffset FetchedAt)> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _emptySince = new(StringComparer.Ordinal);

    /// <summary>Creates the grain.</summary>
    public NodeGrain(
        [PersistentState("node", StorageNames.Ipam)] IPersistentState<NodeState> state,
        IOptions<IpamGrainOptions> options,
        TimeProvider time,
        ILogger<NodeGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _writer = new WriteBatcher(this.GetGrainId().ToString(), () => _state.WriteStateAsync(), DeactivateOnIdle, _options.UnsafeBrokenVariant, logger);
    }

    private string Node => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(ReturnEmptyBlocksAsync, _options.EmptyBlockCheckInterval, _options.EmptyBlockCheckInterval);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<AddressLease> AllocateAsync(NodeAllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _writer.ThrowIfFailed();
        var definition = await DefinitionAsync(request.Pool);
        if (definition.Disabled)
        {
            throw new IpamGrainException(IpamErrorKind.FailedPrecondition, $"pool '{request.Pool}' is disabled");
        }

        var lease = request.RequestedAddress is { } requested
            ? await AllocateRequestedAsync(definition, requested, request)
            : await AllocateAnyAsync(definition, request);

        // No write, no answer (rule 1): the lease may be in a block another call just added to the
        // node's state; if that write fails, a drain would never find the block. Answer only once
        // the node's state is durable (fails with UNAVAILABLE, and the handle rolls back, if not).
        await _writer.WhenDurableAsync();
        return lease;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>> ReleaseHandleAsync(string handleId, ulong maxGeneration)
    {
        _writer.ThrowIfFailed();
        var released = new List<AddressLease>();
        foreach (var (pool, block) in SnapshotBlocks())
        {
            var freed = await Block(pool, block).ReleaseHandleAsync(handleId, maxGeneration);
            released.AddRange(freed);
            if (freed.Count > 0)
            {
                _freeHint.Remove(BlockKey.Of(pool, block));
            }
        }

        return released;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>> ListAllocationsAsync()
    {
        _writer.ThrowIfFailed();
        var leases = new List<AddressLease>();
        foreach (var (pool, block) in SnapshotBlocks())
        {
            var all = await Block(pool, block).ListAllocationsAsync();
            leases.AddRange(all.Where(l => l.Pod.Node == Node));
        }

        return leases;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<NodeBlocks>> ListBlocksAsync()
    {
        _writer.ThrowIfFailed();
        await _writer.WhenDurableAsync();
        return SnapshotPools();
    }

    /// <inheritdoc />
    public async Task<NodeDrainResult> ReleaseAllAsync(long allocatedAtOrBeforeUnixMs)
    {
        _writer.ThrowIfFailed();
        long released = 0;
        var returned = new List<string>();
        var pools = SnapshotPools();

        // What this drain frees is listed first: this node's pods in the blocks it borrowed from, and
        // in its own blocks (pods of other nodes may have borrowed there and still run).
        var leases = new List<AddressLease>();
        foreach (var pool in pools)
        {
            foreach (var block in pool.Borrowed)
            {
                leases.AddRange((await Block(pool.Pool, block).ListAllocationsAsync()).Where(l => l.Pod.Node == Node));
            }

            foreach (var block in pool.Owned)
            {
                leases.AddRange((await Block(pool.Pool, block).ListAllocationsAsync()).Where(l => l.Pod.Node is null || l.Pod.Node == Node));
            }
        }

        // A handle any of whose addresses was allocated after the bound is live (an ADD after the
        // node was judged dead): nothing of it is freed, and the borrowed blocks it uses stay recorded.
        var live = leases.Where(l => l.AllocatedAtUnixMs > allocatedAtOrBeforeUnixMs).Select(l => l.HandleId).ToHashSet(StringComparer.Ordinal);
        var spared = leases.Where(l => live.Contains(l.HandleId)).ToList();
        leases.RemoveAll(l => live.Contains(l.HandleId));

        // Then a fenced write, before anything is freed: an activation that may no longer write (its
        // silo was declared dead while paused, and the drain's client retried elsewhere and was
        // answered) is refused here, so it cannot free the pods allocated since. Then exactly the
        // listed allocations, by sequence (rule 5): one allocated after the listing is not this drain's.
        await _writer.CommitAsync();
        var freed = await Task.WhenAll(leases.Select(l => Block(l.Pool, l.Block).ReleaseAsync(l.Address, l.Sequence)));
        var freedLeases = leases.Where((_, i) => freed[i]).ToList();
        released += freedLeases.Count;

        foreach (var pool in pools)
        {
            foreach (var block in pool.Owned)
            {
                // A block still holding other nodes' pods is not retired: it stays claimed until they go.
                if (await ReturnBlockAsync(pool.Pool, block))
                {
                    returned.Add(BlockKey.Of(pool.Pool, block));
                }
            }

            // Only the borrowed blocks swept here: one a pod borrowed meanwhile stays recorded.
            BlocksOf(pool.Pool).Borrowed.RemoveAll(b => pool.Borrowed.Contains(b) && !spared.Any(l => l.Pool == pool.Pool && l.Block == b));
        }

        _state.State.Pools.RemoveAll(p => p.Owned.Count == 0 && p.Borrowed.Count == 0);
        await _writer.CommitAsync();
        LogDrained(Node, released, returned.Count);
        return new NodeDrainResult { AddressesReleased = released, BlocksReleased = returned, AddressesSpared = spared.Count, Released = freedLeases };
    }

    private async Task<AddressLease> AllocateAnyAsync(PoolDefinition definition, NodeAllocationRequest request)
    {
        var pool = definition.Name;
        var full = new HashSet<string>(StringComparer.Ordinal);

        // A burst of pods can fill a new block before every caller that waited for its claim got
        // in: those callers claim again instead of borrowing or failing while blocks are left.
        for (var round = 0; round < MaxClaimRounds;)
        {
            // Blocks believed to have room first; then the ones believed full (releases may have freed them).
            var candidates = BlocksOf(pool).Owned
                .Where(b => !full.Contains(b))
                .OrderBy(b => _freeHint.GetValueOrDefault(BlockKey.Of(pool, b), 1) == 0)
                .ToList();
            foreach (var block in candidates)
            {
                if (await TryAllocateInAsync(pool, block, request) is { } lease)
                {
                    return lease;
                }

                full.Add(block);
            }

            if (BlocksOf(pool).Owned.Any(b => !full.Contains(b)))
            {
                // Another caller claimed a block while this one tried the others: try it before
                // claiming (or, at MaxBlocksPerNode, before failing). Each pass marks a block full or
                // returns, so this ends.
                continue;
            }

            if (AtBlockLimit(definition) || !await ClaimBlockAsync(pool))
            {
                break;
            }

            round++;
        }

        if (definition.StrictAffinity)
        {
            throw new IpamGrainException(
                IpamErrorKind.Exhausted,
                $"pool '{pool}' has no free address for node '{Node}': its blocks are full, "
                + (AtBlockLimit(definition)
                    ? $"it holds the maximum of {definition.MaxBlocksPerNode} block(s) per node"
                    : "no block is left to claim")
                + ", and the pool has strict affinity (no borrowing)");
        }

        return await BorrowAsync(definition, request)
            ?? throw new IpamGrainException(
                IpamErrorKind.Exhausted,
                $"pool '{pool}' ({definition.Cidr}) is exhausted: no free address in any block for node '{Node}'");
    }

    private bool AtBlockLimit(PoolDefinition definition) =>
        definition.MaxBlocksPerNode != 0 && BlocksOf(definition.Name).Owned.Count >= definition.MaxBlocksPerNode;

    /// <summary>
    /// A requested address in a block nobody owns would claim that block for this node: not past
    /// MaxBlocksPerNode, like any other claim. (A block another node owns is borrowed, not claimed.)
    /// Runs inside the claim gate, so no other claim of the node changes the count meanwhile.
    /// </summary>
    private async Task ThrowIfClaimWouldPassLimitAsync(PoolDefinition definition, string block, string requested)
    {
        var blocks = BlocksOf(definition.Name);
        if (!AtBlockLimit(definition)
            || blocks.Owned.Contains(block)
            || blocks.Borrowed.Contains(block)
            || (await Block(definition.Name, block).GetUsageAsync()).Owner is not null)
        {
            return;
        }

        throw new IpamGrainException(
            IpamErrorKind.Exhausted,
            $"requested address {requested} is in block {block} of pool '{definition.Name}', which nobody has claimed, "
            + $"and node '{Node}' already holds the maximum of {definition.MaxBlocksPerNode} block(s) per node");
    }

    private async Task<AddressLease> AllocateRequestedAsync(PoolDefinition definition, string requested, NodeAllocationRequest request)
    {
        var spec = PoolDefinitionMapper.ToSpec(definition);
        if (!IPAddress.TryParse(requested, out var address) || !spec.Cidr.Contains(address))
        {
            throw new IpamGrainException(
                IpamErrorKind.InvalidArgument,
                $"requested address '{requested}' is not in pool '{definition.Name}' ({spec.Cidr})");
        }

        // It may claim the block: through the same gate as every other claim of this node, so one
        // claim at a time per pool checks and changes the block count (MaxBlocksPerNode holds).
        var block = spec.Cidr.BlockOf(address, spec.BlockPrefixLength).ToString();
        for (var attempt = 1; ; attempt++)
        {
            await _claims.RunAsync(
                definition.Name,
                async () =>
                {
                    await ThrowIfClaimWouldPassLimitAsync(definition, block, requested);
                    return await EnsureClaimedAndRecordAsync(definition.Name, block);
                },
                shareOutcome: false);
            try
            {
                return await Block(definition.Name, block).AllocateSpecificAsync(address.ToString(), request.HandleId, request.Pod);
            }
            catch (IpamGrainException e) when (e.Kind == IpamErrorKind.FailedPrecondition && attempt < 2)
            {
                // The (empty) block was returned to the pool between the claim and the allocation:
                // claim it again, once.
            }
        }
    }

    private async Task<PoolDefinition> DefinitionAsync(string pool)
    {
        var now = _time.GetUtcNow();
        if (_pools.TryGetValue(pool, out var cached) && now - cached.FetchedAt < _options.PoolDefinitionCacheTtl)
        {
            return cached.Definition;
        }

        var definition = await GrainFactory.GetGrain<IPoolGrain>(pool).GetDefinitionAsync();
        _pools[pool] = (definition, now);
        return definition;
    }

    /// <summary>Copies of the node's pool entries: safe to enumerate across awaits while other calls change the state.</summary>
    private List<NodeBlocks> SnapshotPools() =>
        [.. _state.State.Pools.Select(p => new NodeBlocks { Pool = p.Pool, Owned = [.. p.Owned], Borrowed = [.. p.Borrowed] })];

    /// <summary>Every (pool, block) the node owns or borrowed from, copied.</summary>
    private List<(string Pool, string Block)> SnapshotBlocks() =>
        [.. _state.State.Pools.SelectMany(p => p.Owned.Concat(p.Borrowed).Select(b => (p.Pool, b)))];

    /// <summary>The node's live entry for a pool (created if absent). Look it up again after every await.</summary>
    private NodeBlocks BlocksOf(string pool)
    {
        var blocks = _state.State.Pools.FirstOrDefault(p => p.Pool == pool);
        if (blocks is null)
        {
            blocks = new NodeBlocks { Pool = pool };
            _state.State.Pools.Add(blocks);
        }

        return blocks;
    }

    private IBlockGrain Block(string pool, string block) => GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(pool, block));

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Node {Node} borrowed an address in pool {Pool} from block {Block} of node {Owner}")]
    private partial void LogBorrowed(string node, string pool, string block, string owner);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Node {Node} drained: {Released} address(es) released, {Blocks} block(s) returned")]
    private partial void LogDrained(string node, long released, int blocks);
}
