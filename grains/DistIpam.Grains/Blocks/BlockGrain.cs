using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace DistIpam.Grains.Blocks;

/// <summary>
/// One block: Core's <see cref="BlockAllocator"/> behind a reentrant grain with group commit.
/// Mutations are applied in call order on the grain's scheduler, then every caller awaits the
/// write that covers its mutation; one write is in flight at a time (docs/architecture.md, "Group commit").
/// </summary>
[Reentrant]
public sealed partial class BlockGrain : Grain, IBlockGrain
{
    private readonly IPersistentState<BlockState> _state;
    private readonly TimeProvider _time;
    private readonly ILogger<BlockGrain> _logger;
    private readonly WriteBatcher _writer;
    private string _pool = "";
    private IpPrefix _block;
    private string _blockText = "";
    private BlockAllocator? _allocator;

    /// <summary>Creates the grain.</summary>
    public BlockGrain(
        [PersistentState("block", StorageNames.Ipam)] IPersistentState<BlockState> state,
        IOptions<IpamGrainOptions> options,
        TimeProvider time,
        ILogger<BlockGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _time = time;
        _logger = logger;
        _writer = new WriteBatcher(this.GetGrainId().ToString(), WriteAsync, OnWriteFailed, options.Value.UnsafeBrokenVariant, logger);
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_pool, var cidr) = BlockKey.Parse(this.GetPrimaryKeyString());
        _block = IpPrefix.Parse(cidr);
        _blockText = _block.ToString();
        if (_state.State.Settings is not null)
        {
            _allocator = BlockStateMapper.Restore(_block, _state.State, _time);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<BlockUsage> InitializeAsync(BlockSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _writer.ThrowIfFailed();
        var current = _state.State.Settings;
        if (current is not null && _allocator is not null)
        {
            if (current.Owner != settings.Owner)
            {
                throw new IpamGrainException(
                    IpamErrorKind.FailedPrecondition,
                    $"block {_block} of pool '{_pool}' is owned by node '{current.Owner}', not '{settings.Owner}'");
            }

            await _writer.WhenDurableAsync();
            return Usage();
        }

        // A block retired earlier kept its next sequence number, cursor and running cooldowns
        // (RetireIfEmptyAsync): sequences continue, so a stale release from a former claim never
        // matches (docs/architecture.md, rule 5), and an address released just before the block was returned
        // still rests before the new owner gets it (rule 8).
        _allocator = BlockStateMapper.RestoreRetired(_block, _state.State, settings, _time);
        _state.State.Settings = settings;
        await _writer.CommitAsync();
        LogInitialized(_pool, _blockText, settings.Owner);
        return Usage();
    }

    /// <inheritdoc />
    public async Task UpdateReservedAsync(IReadOnlyList<string> reserved)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        _writer.ThrowIfFailed();
        if (_allocator is not { } allocator)
        {
            // Unclaimed or retired: its next claim brings the pool's ranges of that time.
            await _writer.WhenDurableAsync();
            return;
        }

        var settings = _state.State.Settings! with { Reserved = reserved };
        try
        {
            var snapshot = BlockStateMapper.Capture(allocator, settings);
            _allocator = BlockStateMapper.Restore(_block, snapshot, _time);
        }
        catch (Exception e) when (e is IpamException or InvalidOperationException or ArgumentException or InvalidDataException)
        {
            throw new IpamGrainException(
                IpamErrorKind.FailedPrecondition,
                $"block {_block} of pool '{_pool}' cannot take reserved ranges [{string.Join(", ", reserved)}]: {e.Message}");
        }

        _state.State.Settings = settings;
        await _writer.CommitAsync();
    }

    /// <inheritdoc />
    public async Task<AddressLease> AllocateAsync(string handleId, PodIdentity pod)
    {
        var allocator = RequireAllocator();
        var known = allocator.FindByHandle(handleId);

        // A retry of the same attempt (or an older one) gets the lease already held; a newer
        // generation of the handle gets a fresh allocation that replaces it (Core's Allocate).
        if (known is not null && known.Attributes.HandleGeneration >= pod.HandleGeneration)
        {
            await _writer.WhenDurableAsync();
            return LeaseOf(known);
        }

        var record = Domain(() => allocator.Allocate(handleId, BlockStateMapper.AttributesOf(pod)));
        await _writer.CommitAsync();
        return LeaseOf(record);
    }

    /// <inheritdoc />
    public async Task<AddressLease> AllocateSpecificAsync(string address, string handleId, PodIdentity pod)
    {
        var allocator = RequireAllocator();
        var ip = ParseAddress(address);
        var before = allocator.FindByAddress(ip);
        var record = Domain(() => allocator.AllocateSpecific(ip, handleId, BlockStateMapper.AttributesOf(pod)));
        if (ReferenceEquals(before, record))
        {
            await _writer.WhenDurableAsync();
        }
        else
        {
            await _writer.CommitAsync();
        }

        return LeaseOf(record);
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(string address, ulong sequence)
    {
        _writer.ThrowIfFailed();

        // A retired or never claimed block holds nothing: a late DEL of a drained pod frees nothing.
        if (_allocator is not { } allocator || !allocator.Release(ParseAddress(address), sequence))
        {
            await _writer.WhenDurableAsync();
            return false;
        }

        await _writer.CommitAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<AddressLease> TransferAsync(string address, ulong sequence, string toHandle, PodIdentity pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var allocator = RequireAllocator();
        var ip = ParseAddress(address);
        var before = allocator.FindByAddress(ip);
        var moved = Domain(() => allocator.Transfer(ip, sequence, toHandle, BlockStateMapper.AttributesOf(pod)))
            ?? throw new IpamGrainException(
                IpamErrorKind.FailedPrecondition,
                $"address {address} in block {_block} of pool '{_pool}' is not held under sequence {sequence} "
                + $"(held by {(before is null ? "nobody" : $"'{before.HandleId}' under sequence {before.Sequence}")}); nothing moved to '{toHandle}'");
        if (ReferenceEquals(before, moved))
        {
            await _writer.WhenDurableAsync();
        }
        else
        {
            await _writer.CommitAsync();
        }

        return LeaseOf(moved);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>> ReleaseHandleAsync(string handleId, ulong maxGeneration)
    {
        _writer.ThrowIfFailed();
        if (_allocator is null)
        {
            return [];
        }

        var released = _allocator.ReleaseByHandle(handleId, maxGeneration);
        if (released.Count == 0)
        {
            await _writer.WhenDurableAsync();
            return [];
        }

        await _writer.CommitAsync();
        return [.. released.Select(LeaseOf)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>> ListAllocationsAsync()
    {
        _writer.ThrowIfFailed();
        await _writer.WhenDurableAsync();
        return _allocator is null ? [] : [.. _allocator.Allocations.Select(LeaseOf)];
    }

    /// <inheritdoc />
    public async Task<BlockUsage> GetUsageAsync()
    {
        _writer.ThrowIfFailed();
        await _writer.WhenDurableAsync();
        return Usage();
    }

    /// <inheritdoc />
    public async Task<int> ReleaseAllAsync()
    {
        _writer.ThrowIfFailed();
        if (_allocator is null)
        {
            return 0;
        }

        var count = 0;
        foreach (var record in _allocator.Allocations.ToList())
        {
            count += _allocator.Release(record.Address, record.Sequence) ? 1 : 0;
        }

        await _writer.CommitAsync();
        return count;
    }

    /// <inheritdoc />
    public async Task<bool> RetireIfEmptyAsync(string owner)
    {
        _writer.ThrowIfFailed();
        await _writer.WhenDurableAsync();
        if (_allocator is null)
        {
            return true;
        }

        if (!_allocator.IsEmpty || _state.State.Settings?.Owner != owner)
        {
            return false;
        }

        // Keep the sequence, cursor and running cooldowns for the next claim of this block (rules 5
        // and 8); the rest goes.
        var kept = BlockStateMapper.Capture(_allocator, _state.State.Settings!);
        _allocator = null;
        _state.State = new BlockState { NextSequence = kept.NextSequence, Cursor = kept.Cursor, Cooldowns = kept.Cooldowns };
        await _writer.CommitAsync();
        LogRetired(_pool, _blockText, owner);
        return true;
    }

    private async Task WriteAsync()
    {
        if (_allocator is null)
        {
            // Retired: the state holds only what RetireIfEmptyAsync kept.
            await _state.WriteStateAsync();
            return;
        }

        // A fresh object per write: the storage serializes it while later mutations proceed.
        _state.State = BlockStateMapper.Capture(_allocator, _state.State.Settings!);
        await _state.WriteStateAsync();
    }

    private void OnWriteFailed()
    {
        LogWriteFailed(_pool, _blockText);
        DeactivateOnIdle();
    }

    private BlockAllocator RequireAllocator()
    {
        _writer.ThrowIfFailed();
        return _allocator ?? throw new IpamGrainException(
            IpamErrorKind.FailedPrecondition,
            $"block {_block} of pool '{_pool}' is not claimed by any node");
    }

    private IPAddress ParseAddress(string address) =>
        IPAddress.TryParse(address, out var ip)
            ? ip
            : throw new IpamGrainException(IpamErrorKind.InvalidArgument, $"'{address}' is not an IP address (block {_block})");

    private static T Domain<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (IpamException e)
        {
            throw IpamGrainException.From(e);
        }
    }

    private BlockUsage Usage() => new()
    {
        Block = _blockText,
        Owner = _state.State.Settings?.Owner,
        Capacity = _allocator?.Capacity ?? 0,
        Used = _allocator?.Used ?? 0,
        Gateway = _state.State.Settings is { } s ? BlockStateMapper.GatewayOf(_block, s)?.ToString() : null,
        Cooling = CoolingCount(),
    };

    /// <summary>Read-only, for metrics: cooldowns of the stored state that have not run out.</summary>
    private int CoolingCount()
    {
        if (_state.State.Settings is not { } settings)
        {
            return 0;
        }

        var since = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)settings.ReleaseCooldown.TotalMilliseconds;
        return _state.State.Cooldowns.Count(c => c.ReleasedAtUnixMs > since);
    }

    private AddressLease LeaseOf(AllocationRecord record) => new()
    {
        Pool = _pool,
        Block = _blockText,
        Address = record.Address.ToString(),
        Sequence = record.Sequence,
        HandleId = record.HandleId,
        Gateway = BlockStateMapper.GatewayOf(_block, _state.State.Settings!)?.ToString(),
        BlockOwner = _state.State.Settings?.Owner,
        FreeAfter = _allocator?.Free ?? 0,
        Pod = BlockStateMapper.PodOf(record.Attributes),
        BlockPrefixLength = _block.PrefixLength,
        AllocatedAtUnixMs = record.AllocatedAt.ToUnixTimeMilliseconds(),
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Block {Block} of pool {Pool} claimed by node {Node}")]
    private partial void LogInitialized(string pool, string block, string node);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Block {Block} of pool {Pool} retired by node {Node}")]
    private partial void LogRetired(string pool, string block, string node);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Write of block {Block} of pool {Pool} failed; deactivating to reload from storage")]
    private partial void LogWriteFailed(string pool, string block);
}
