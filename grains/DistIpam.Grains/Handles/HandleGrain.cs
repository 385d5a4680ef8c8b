using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Nodes;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Handles;

/// <summary>
/// One attachment. Not reentrant: ADD, DEL and CHECK of one handle are serialized, which is what
/// makes them idempotent. Handles are many and short-lived, so idle activations are collected
/// quickly.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed partial class HandleGrain(
    [PersistentState("handle", StorageNames.Ipam)] IPersistentState<HandleState> state,
    ILogger<HandleGrain> logger) : Grain, IHandleGrain
{
    private string HandleId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public async Task<HandleRecord> AllocateAsync(HandleAllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (state.State.Record is { } held)
        {
            return SameAsHeld(held, request) ? held : throw Mismatch(held, request);
        }

        var node = GrainFactory.GetGrain<INodeGrain>(request.Node);

        // The families are independent (different pools, different blocks): ask for them together so
        // an ADD waits for one round of block commits, not one per family.
        var allocations = request.Pools.Select((pool, i) => node.AllocateAsync(new NodeAllocationRequest
        {
            Pool = pool,
            HandleId = HandleId,
            RequestedAddress = i < request.RequestedAddresses.Count ? request.RequestedAddresses[i] : null,
            Pod = request.Pod with { Node = request.Node },
        })).ToList();
        try
        {
            await Task.WhenAll(allocations);
        }
        catch (Exception e)
        {
            // All or nothing (DESIGN §3 rule 7): give back what the other families already took.
            await RollbackAsync([.. allocations.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result)], e);
            throw;
        }

        List<AddressLease> leases = [.. allocations.Select(t => t.Result)];
        state.State.Record = new HandleRecord { HandleId = HandleId, Node = request.Node, Leases = leases };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not released: a duplicate activation may hold the same leases and have acknowledged
            // them. Reload from storage; the consistency check finds a true leak.
            state.State.Record = null;
            DeactivateOnIdle();
            throw;
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            var addresses = string.Join(", ", leases.Select(l => l.Address));
            LogAllocated(HandleId, request.Node, addresses);
        }

        return state.State.Record;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AddressLease>> ReleaseAsync(string? node)
    {
        if (state.State.Record is not { } held)
        {
            // An ADD whose record was never written may still hold addresses in the node's blocks.
            return string.IsNullOrEmpty(node) ? [] : await GrainFactory.GetGrain<INodeGrain>(node).ReleaseHandleAsync(HandleId);
        }

        // By sequence number: a stale release never frees an address re-issued since. The families
        // live in different blocks, so their releases go out together; if one fails, the record
        // stays and a retried DEL releases again (a repeated release of a freed sequence is a no-op).
        var freed = await Task.WhenAll(held.Leases.Select(l => Block(l).ReleaseAsync(l.Address, l.Sequence)));
        List<AddressLease> released = [.. held.Leases.Where((_, i) => freed[i])];

        try
        {
            await state.ClearStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }

        LogReleased(HandleId, released.Count);
        DeactivateOnIdle();
        return released;
    }

    /// <inheritdoc />
    public Task<HandleRecord?> GetAsync() => Task.FromResult(state.State.Record);

    private async Task RollbackAsync(List<AddressLease> leases, Exception cause)
    {
        foreach (var lease in leases)
        {
            try
            {
                await Block(lease).ReleaseAsync(lease.Address, lease.Sequence);
            }
            catch (Exception e)
            {
                LogRollbackFailed(e, HandleId, lease.Address, cause.Message);
            }
        }
    }

    private static bool SameAsHeld(HandleRecord held, HandleAllocationRequest request)
    {
        if (!held.Leases.Select(l => l.Pool).SequenceEqual(request.Pools))
        {
            return false;
        }

        for (var i = 0; i < request.RequestedAddresses.Count && i < held.Leases.Count; i++)
        {
            if (request.RequestedAddresses[i] is { } wanted
                && !(System.Net.IPAddress.TryParse(wanted, out var address) && address.ToString() == held.Leases[i].Address))
            {
                return false;
            }
        }

        return true;
    }

    private IpamGrainException Mismatch(HandleRecord held, HandleAllocationRequest request) => new(
        IpamErrorKind.FailedPrecondition,
        $"handle '{HandleId}' already holds {string.Join(", ", held.Leases.Select(l => $"{l.Address} ({l.Pool})"))}; "
        + $"the request asks for pools [{string.Join(", ", request.Pools)}]"
        + (request.RequestedAddresses.Any(a => a is not null) ? $" and addresses [{string.Join(", ", request.RequestedAddresses.Where(a => a is not null))}]" : "")
        + "; release it first");

    private IBlockGrain Block(AddressLease lease) => GrainFactory.GetGrain<IBlockGrain>(BlockKey.Of(lease.Pool, lease.Block));

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Handle {Handle} on node {Node} holds {Addresses}")]
    private partial void LogAllocated(string handle, string node, string addresses);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Handle {Handle} released {Count} address(es)")]
    private partial void LogReleased(string handle, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Handle {Handle}: rollback of {Address} after '{Cause}' failed; the consistency check will report it")]
    private partial void LogRollbackFailed(Exception exception, string handle, string address, string cause);
}
