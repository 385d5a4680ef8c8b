using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Nodes;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Handles;

/// <summary>
/// One attachment. Not reentrant: ADD, DEL, CHECK and reconciliation of one handle are serialized,
/// which is what makes them idempotent and lets this grain alone decide whether an address found
/// under its name is still its own. Every release of an address the record does not hold is
/// preceded by a fence write: an ETag-checked write of this state, which fails if any other
/// activation wrote it since this one read it, and makes any such activation's later write fail
/// (docs/architecture.md, "Fencing"). Handles are many and short-lived, so idle activations are
/// collected quickly.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class HandleGrain(
    [PersistentState("handle", StorageNames.Ipam)] IPersistentState<HandleState> state,
    ILogger<HandleGrain> logger,
    IDeferredReleases? deferred = null) : Grain, IHandleGrain
{
    private bool _broken;

    private string HandleId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<HandleRecord> AllocateAsync(HandleAllocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfBroken();
        if (state.State.Record is { } held)
        {
            return HandleRecords.SameAsHeld(held, request) ? held : throw HandleRecords.Mismatch(HandleId, held, request);
        }

        if (state.State.Move is { } move)
        {
            throw new IpamGrainException(
                IpamErrorKind.FailedPrecondition,
                $"handle '{HandleId}' is taking over the addresses of '{move.From}' (a move not finished); repeat the move or release the handle first");
        }

        // The caller gave up (deadline, cancel): start nothing it will never hear about.
        cancellationToken.ThrowIfCancellationRequested();
        var node = GrainFactory.GetGrain<INodeGrain>(request.Node);

        // The families are independent (different pools, different blocks): ask for them together so
        // an ADD waits for one round of block commits, not one per family.
        var allocations = request.Pools.Select((pool, i) => node.AllocateAsync(new NodeAllocationRequest
        {
            Pool = pool,
            HandleId = HandleId,
            RequestedAddress = i < request.RequestedAddresses.Count ? request.RequestedAddresses[i] : null,
            // The generation this attempt's record will be written under (see PodIdentity.HandleGeneration).
            Pod = request.Pod with { Node = request.Node, HandleGeneration = state.State.Generation + 1 },
        })).ToList();
        try
        {
            await Task.WhenAll(allocations);
        }
        catch (Exception e)
        {
            // All or nothing (rule 7): give back what the other families already took.
            await RollbackAsync([.. allocations.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)], e);
            throw;
        }

        List<AddressLease> leases = [.. allocations.Select(t => t.Result)];
        state.State.Record = new HandleRecord { HandleId = HandleId, Node = request.Node, Leases = leases };
        state.State.Generation++;
        try
        {
            // Once the blocks hold the leases, the record is written even if the caller gave up.
            await state.WriteStateAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Outcome unknown, or another activation wrote first (and may have recorded these same
            // leases: a block answers a handle's retry with its existing lease). Not released here:
            // only an activation whose fence write succeeds may decide they are not recorded.
            Break();
            deferred?.Enqueue(HandleId, leases);
            if (logger.IsEnabled(LogLevel.Warning))
            {
                var addresses = HandleRecords.Describe(leases);
                LogRecordWriteFailed(e, HandleId, addresses);
            }

            throw;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            var addresses = HandleRecords.Describe(leases);
            LogAllocated(HandleId, request.Node, addresses);
        }

        return state.State.Record;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>> ReleaseAsync(string? node, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken();
        cancellationToken.ThrowIfCancellationRequested();
        if (state.State.Record is not { } held)
        {
            // An unfinished move into this handle may already have moved addresses on its node.
            var sweep = string.IsNullOrEmpty(node) ? state.State.Move?.Node : node;
            if (string.IsNullOrEmpty(sweep))
            {
                return [];
            }

            // An ADD whose record was never written may still hold addresses in the node's blocks.
            // Runtimes repeat DEL freely: when there is nothing to sweep, nothing is written (but a
            // pending move is dropped, so a late repeat of it finds nothing to finish).
            var nodeGrain = GrainFactory.GetGrain<INodeGrain>(sweep);
            if (!(await nodeGrain.ListAllocationsAsync()).Any(l => l.HandleId == HandleId))
            {
                if (state.State.Move is not null)
                {
                    await ForgetAsync();
                }

                return [];
            }

            // Fence first, so no activation that read this state earlier can record them afterwards.
            await WriteFenceAsync();
            var swept = await nodeGrain.ReleaseHandleAsync(HandleId, state.State.Generation);
            await ForgetAsync();
            return swept;
        }

        // The record's removal is the fenced write, and it comes first: an activation that must not
        // write any more (a silo declared dead while paused, which read this record only on resume,
        // after the cluster moved on) is refused before it frees anything; releasing first freed a
        // newer ADD's addresses (chaos, long pause). Then by sequence number (rule 5), exactly what
        // the record held: a stale release never frees an address re-issued since.
        await ClearFencedAsync();
        List<AddressLease> released;
        try
        {
            released = await ReleaseBySequenceAsync(held.Leases);
        }
        catch (Exception e)
        {
            // The record is gone: the addresses are unrecorded now. The silo retries their release
            // (a repeated release of a freed sequence is a no-op), and so does a retried DEL, whose
            // sweep finds them in the node's blocks.
            deferred?.Enqueue(HandleId, held.Leases);
            LogReleaseDeferred(e, HandleId, HandleRecords.Describe(held.Leases));
            throw;
        }

        LogReleased(HandleId, released.Count);
        return released;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>> ReleaseUnrecordedAsync(IReadOnlyList<AddressLease> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ThrowIfBroken();
        var record = state.State.Record;
        var moving = state.State.Move?.Leases ?? [];
        List<AddressLease> unrecorded = [.. candidates.Where(c => c.HandleId == HandleId
            && record?.Leases.Any(l => HandleRecords.Same(l, c)) != true
            && !moving.Any(m => HandleRecords.SameAddress(m, c)))];
        if (unrecorded.Count == 0)
        {
            return [];
        }

        await WriteFenceAsync();
        var released = await ReleaseBySequenceAsync(unrecorded);
        if (state.State.Record is null && state.State.Move is null)
        {
            await ForgetAsync();
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            var addresses = HandleRecords.Describe(released);
            LogUnrecordedReleased(HandleId, addresses);
        }

        return released;
    }

    /// <inheritdoc />
    public async Task<HandleRecord> MoveFromAsync(HandleMoveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfBroken();
        if (request.FromHandle == HandleId)
        {
            throw new IpamGrainException(IpamErrorKind.InvalidArgument, $"handle '{HandleId}' cannot take over its own addresses");
        }

        var source = GrainFactory.GetGrain<IHandleGrain>(request.FromHandle);
        if (state.State.Record is { } held)
        {
            // A repeat of a finished move (its reply lost): make sure the source forgot them.
            if (!HandleRecords.HoldsExactly(held.Leases, request.ExpectedAddresses))
            {
                throw new IpamGrainException(
                    IpamErrorKind.FailedPrecondition,
                    $"handle '{HandleId}' already holds {HandleRecords.Describe(held.Leases)}; it cannot take "
                    + $"{HandleRecords.Addresses(request.ExpectedAddresses)} from '{request.FromHandle}'; release it first");
            }

            await source.ForgetMovedAsync(held.Leases);
            return held;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = state.State.Move is { } move && move.From == request.FromHandle ? move : null;
        var sourceRecord = await source.GetAsync();
        if (sourceRecord is not null && sourceRecord.Node != request.Node)
        {
            throw new IpamGrainException(
                IpamErrorKind.FailedPrecondition,
                $"handle '{request.FromHandle}' is on node '{sourceRecord.Node}', not '{request.Node}'; nothing moved to '{HandleId}'");
        }

        var leases = sourceRecord?.Leases ?? pending?.Leases
            ?? throw new IpamGrainException(IpamErrorKind.NotFound, $"handle '{request.FromHandle}' holds no addresses to move to '{HandleId}'");
        if (!HandleRecords.HoldsExactly(leases, request.ExpectedAddresses))
        {
            throw new IpamGrainException(
                IpamErrorKind.FailedPrecondition,
                $"handle '{request.FromHandle}' holds {HandleRecords.Describe(leases)}, not the expected "
                + $"{HandleRecords.Addresses(request.ExpectedAddresses)}; nothing moved to '{HandleId}'");
        }

        // Pending first, fenced: from here on, an address a block holds for this handle is its own
        // even before the record names it, and no older activation can write this state any more.
        state.State.Move = new PendingMove { From = request.FromHandle, Node = request.Node, Leases = leases };
        await WriteFenceAsync();
        var pod = request.Pod with { Node = request.Node, HandleGeneration = state.State.Generation + 1 };
        List<AddressLease> moved;
        try
        {
            moved = [.. await Task.WhenAll(leases.Select(l => Block(l).TransferAsync(l.Address, l.Sequence, HandleId, pod)))];
        }
        catch (Exception e)
        {
            // What moved stays held under this handle: a repeat finishes the move, a DEL frees it.
            LogMoveUnfinished(e, HandleId, request.FromHandle, HandleRecords.Describe(leases));
            throw;
        }

        state.State.Record = new HandleRecord { HandleId = HandleId, Node = request.Node, Leases = moved };
        state.State.Move = null;
        state.State.Generation++;
        try
        {
            await state.WriteStateAsync(CancellationToken.None);
        }
        catch
        {
            // The pending move is what storage holds: a repeat reaches a fresh activation and finishes.
            Break();
            throw;
        }

        // Not done until the source forgot them: its Check would otherwise still name them. If this
        // fails, the caller repeats the move, and the repeat (the record held) asks the source again.
        await source.ForgetMovedAsync(moved);

        if (logger.IsEnabled(LogLevel.Information))
        {
            var addresses = HandleRecords.Describe(moved);
            LogMoved(HandleId, request.FromHandle, addresses);
        }

        return state.State.Record;
    }

    /// <inheritdoc />
    public async Task ForgetMovedAsync(IReadOnlyList<AddressLease> moved)
    {
        ArgumentNullException.ThrowIfNull(moved);
        ThrowIfBroken();
        if (state.State.Record is not { } record)
        {
            return;
        }

        // Only a lease another handle now holds under a newer sequence of the same address: that is
        // proof this record's lease of it ended (a block holds an address for one handle at a time).
        List<AddressLease> kept = [.. record.Leases.Where(l => !moved.Any(m => m.HandleId != HandleId && HandleRecords.SameAddress(m, l) && m.Sequence > l.Sequence))];
        if (kept.Count == record.Leases.Count)
        {
            return;
        }

        if (kept.Count == 0)
        {
            await ClearFencedAsync();
            return;
        }

        state.State.Record = record with { Leases = kept };
        await WriteFenceAsync();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>?> ReleaseIfStaleAsync()
    {
        ThrowIfBroken();
        if (state.State.Record is not { } held)
        {
            return null;
        }

        foreach (var lease in held.Leases)
        {
            var inBlock = await Block(lease).ListAllocationsAsync();
            if (!inBlock.Any(b => b.Address == lease.Address && b.Sequence == lease.Sequence && b.HandleId == HandleId))
            {
                return await ReleaseAsync(null);
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>?> ReleaseIfHoldsAsync(IReadOnlyList<AddressLease> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ThrowIfBroken();
        if (state.State.Record is not { } held
            || held.Leases.Count != expected.Count
            || !held.Leases.All(l => expected.Any(e => HandleRecords.Same(l, e))))
        {
            return null;
        }

        return await ReleaseAsync(null);
    }

    /// <inheritdoc />
    public Task<HandleRecord?> GetAsync()
    {
        ThrowIfBroken();
        return Task.FromResult(state.State.Record);
    }

    private async Task RollbackAsync(List<AddressLease> taken, Exception cause)
    {
        if (taken.Count == 0)
        {
            return;
        }

        try
        {
            await ReleaseUnrecordedAsync(taken);
        }
        catch (Exception e)
        {
            // Storage away or another activation active: the silo retries until done (rule 10).
            deferred?.Enqueue(HandleId, taken);
            if (logger.IsEnabled(LogLevel.Warning))
            {
                var addresses = HandleRecords.Describe(taken);
                LogRollbackDeferred(e, HandleId, addresses, cause.Message);
            }
        }
    }

    /// <summary>An ETag-checked write that changes nothing but the version (see the class summary).</summary>
    private async Task WriteFenceAsync()
    {
        state.State.Generation++;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            Break();
            throw;
        }
    }

    /// <summary>Removes the stored state, ETag-checked like every write (a fence); a failure leaves the activation broken.</summary>
    private async Task ClearFencedAsync()
    {
        try
        {
            await state.ClearStateAsync(CancellationToken.None);
        }
        catch
        {
            Break();
            throw;
        }

        DeactivateOnIdle();
    }

    /// <summary>Drops the state of a handle that holds nothing; a failure only costs a stored empty row.</summary>
    private async Task ForgetAsync()
    {
        try
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
        catch (Exception e)
        {
            Break();
            LogForgetFailed(e, HandleId);
        }
    }

    private async Task<List<AddressLease>> ReleaseBySequenceAsync(IReadOnlyList<AddressLease> leases)
    {
        var freed = await Task.WhenAll(leases.Select(l => Block(l).ReleaseAsync(l.Address, l.Sequence)));
        return [.. leases.Where((_, i) => freed[i])];
    }

    /// <summary>After a failed or uncertain write the memory may be ahead of storage (rule 3).</summary>
    private void Break()
    {
        _broken = true;
        DeactivateOnIdle();
    }

    private void ThrowIfBroken()
    {
        if (_broken)
        {
            throw IpamGrainException.Unavailable($"handle '{HandleId}' is reloading after a failed write; retry");
        }
    }

    private IBlockGrain Block(AddressLease lease) => GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(lease.Pool, lease.Block));
}
