using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;

namespace DistIpam.Grains.Nodes;

/// <summary>Trying blocks, claiming new ones and borrowing from other nodes' blocks.</summary>
public sealed partial class NodeGrain
{
    private async Task<AddressLease?> BorrowAsync(PoolDefinition definition, NodeAllocationRequest request, NodeBlocks blocks)
    {
        var claims = await GrainFactory.GetGrain<IPoolGrain>(definition.Name).ListClaimsAsync();
        foreach (var claim in claims.Where(c => c.Confirmed && c.Node != Node))
        {
            if (await TryAllocateInAsync(definition.Name, claim.Block, request) is not { } lease)
            {
                continue;
            }

            if (!blocks.Borrowed.Contains(claim.Block))
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
            // The block lost its owner record (retired, or a crash mid-return): let the pool's
            // claim decide whose it is, then try once more.
            var owner = await GrainFactory.GetGrain<IPoolGrain>(pool).EnsureBlockClaimedAsync(Node, block);
            if (owner != Node)
            {
                var blocks = BlocksOf(pool);
                if (blocks.Owned.Remove(block))
                {
                    await _writer.CommitAsync();
                }
            }

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
    /// Claims a block for the node, or waits for the claim another call of this node is making.
    /// True when a block may have been added to <paramref name="blocks"/>; false when the pool has
    /// no unclaimed block left.
    /// </summary>
    private async Task<bool> ClaimBlockAsync(string pool, NodeBlocks blocks)
    {
        if (_claims.TryGetValue(pool, out var running))
        {
            try
            {
                await running;
                return true;
            }
            catch (IpamGrainException e) when (e.Kind == IpamErrorKind.Exhausted)
            {
                return false;
            }
        }

        var claim = ClaimAndRecordAsync(pool, blocks);
        _claims[pool] = claim;
        try
        {
            await claim;
            return true;
        }
        catch (IpamGrainException e) when (e.Kind == IpamErrorKind.Exhausted)
        {
            return false;
        }
        finally
        {
            _claims.Remove(pool);
        }
    }

    private async Task<string> ClaimAndRecordAsync(string pool, NodeBlocks blocks)
    {
        var block = await GrainFactory.GetGrain<IPoolGrain>(pool).ClaimBlockAsync(Node, blocks.Owned);
        if (!blocks.Owned.Contains(block))
        {
            blocks.Owned.Add(block);
            blocks.Borrowed.Remove(block);
            await _writer.CommitAsync();
        }

        return block;
    }
}
