using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;

namespace DistIpam.Grains.Nodes;

/// <summary>
/// Trying blocks, claiming new ones and borrowing from other nodes' blocks. Every call that may
/// claim a block for the node passes the per-pool <see cref="NodeClaimGate"/>. Node state is never
/// held across an await: each step looks its pool's entry up again (<see cref="BlocksOf"/>).
/// </summary>
public sealed partial class NodeGrain
{
    private async Task<AddressLease?> BorrowAsync(PoolDefinition definition, NodeAllocationRequest request)
    {
        var claims = await GrainFactory.GetGrain<IPoolGrain>(definition.Name).ListClaimsAsync();

        // Not a block being returned: an allocation there would only make its return fail.
        foreach (var claim in claims.Where(c => c.Confirmed && !c.Returning && c.Node != Node))
        {
            if (await TryAllocateInAsync(definition.Name, claim.Block, request) is not { } lease)
            {
                continue;
            }

            var blocks = BlocksOf(definition.Name);
            if (!blocks.Borrowed.Contains(claim.Block) && !blocks.Owned.Contains(claim.Block))
            {
                // Recorded durably before the lease is returned, so GC and node drains find it.
                blocks.Borrowed.Add(claim.Block);
                await _writer.CommitAsync();
            }

            LogBorrowed(Node, definition.Name, claim.Block, claim.Node);
            return lease;
        }

        return null;
    }

    private async Task<AddressLease?> TryAllocateInAsync(string pool, string block, NodeAllocationRequest request)
    {
        var key = BlockKey.Of(pool, block);
        try
        {
            var lease = await Block(pool, block).AllocateAsync(request.HandleId, request.Pod);
            _freeHint[key] = lease.FreeAfter;
            return lease;
        }
        catch (IpamGrainException e) when (e.Kind == IpamErrorKind.Exhausted)
        {
            _freeHint[key] = 0;
            return null;
        }
        catch (IpamGrainException e) when (e.Kind == IpamErrorKind.FailedPrecondition)
        {
            // The block lost its owner record (returned meanwhile, or a crash mid-return): let the
            // pool's claim decide whose it is, then try once more.
            await _claims.RunAsync(pool, () => EnsureClaimedAndRecordAsync(pool, block), shareOutcome: false);
            try
            {
                var lease = await Block(pool, block).AllocateAsync(request.HandleId, request.Pod);
                _freeHint[key] = lease.FreeAfter;
                return lease;
            }
            catch (IpamGrainException again) when (again.Kind is IpamErrorKind.Exhausted or IpamErrorKind.FailedPrecondition)
            {
                _freeHint[key] = 0;
                return null;
            }
        }
    }

    /// <summary>
    /// Asks the pool who owns <paramref name="block"/> (claiming it for the node if nobody does)
    /// and records the answer as owned or borrowed. Call only through the claim gate.
    /// </summary>
    private async Task<string> EnsureClaimedAndRecordAsync(string pool, string block)
    {
        var owner = await GrainFactory.GetGrain<IPoolGrain>(pool).EnsureBlockClaimedAsync(Node, block);
        var blocks = BlocksOf(pool);
        var changed = owner == Node
            ? AddOnce(blocks.Owned, block) | blocks.Borrowed.Remove(block)
            : blocks.Owned.Remove(block) | AddOnce(blocks.Borrowed, block);
        if (changed)
        {
            await _writer.CommitAsync();
        }

        return owner;
    }

    /// <summary>
    /// Claims a block for the node, or waits for the claim another call of this node is making.
    /// True when a block may have been added; false when the pool has no unclaimed block left.
    /// </summary>
    private async Task<bool> ClaimBlockAsync(string pool)
    {
        try
        {
            if (_claims.Running(pool) is { } running)
            {
                await running;
            }
            else
            {
                await _claims.RunAsync(pool, () => ClaimAndRecordAsync(pool), shareOutcome: true);
            }

            return true;
        }
        catch (IpamGrainException e) when (e.Kind == IpamErrorKind.Exhausted)
        {
            return false;
        }
    }

    private async Task<string> ClaimAndRecordAsync(string pool)
    {
        var block = await GrainFactory.GetGrain<IPoolGrain>(pool).ClaimBlockAsync(Node, [.. BlocksOf(pool).Owned]);
        var blocks = BlocksOf(pool);
        if (AddOnce(blocks.Owned, block) | blocks.Borrowed.Remove(block))
        {
            await _writer.CommitAsync();
        }

        return block;
    }

    private static bool AddOnce(List<string> blocks, string block)
    {
        if (blocks.Contains(block))
        {
            return false;
        }

        blocks.Add(block);
        return true;
    }
}
