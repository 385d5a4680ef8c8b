using DistIpam.Grains.Blocks;
using DistIpam.Grains.Pools;
using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Nodes;

/// <summary>Returning empty blocks to the pool after a grace period.</summary>
public sealed partial class NodeGrain
{
    /// <summary>
    /// Timer: a block empty for longer than the grace period goes back to its pool, except the
    /// node's last block in a pool while any of its blocks there still holds an address (the next
    /// pod would only have to claim it again).
    /// </summary>
    private async Task ReturnEmptyBlocksAsync(CancellationToken cancellationToken)
    {
        if (_writer.Failed)
        {
            return; // deactivating to reload: the next activation's timer checks again
        }

        var now = _time.GetUtcNow();
        foreach (var pool in SnapshotPools())
        {
            var usages = new List<BlockUsage>();
            foreach (var block in pool.Owned)
            {
                usages.Add(await Block(pool.Pool, block).GetUsageAsync());
            }

            // Addresses this node's pods borrowed elsewhere count too: the node is in use, and its
            // next pod should find a block of its own instead of claiming one again.
            var poolHasAllocations = usages.Any(u => u.Used > 0) || await HoldsBorrowedAsync(pool);
            foreach (var usage in usages)
            {
                var key = BlockKey.Of(pool.Pool, usage.Block);
                if (usage.Used > 0)
                {
                    _emptySince.Remove(key);
                    continue;
                }

                var since = _emptySince.TryGetValue(key, out var at) ? at : _emptySince[key] = now;

                // Counted now, not from the snapshot: other calls may have claimed or returned blocks since.
                var lastBlockInUse = BlocksOf(pool.Pool).Owned.Count == 1 && poolHasAllocations;
                if (now - since >= _options.EmptyBlockGracePeriod && !lastBlockInUse && await ReturnBlockAsync(pool.Pool, usage.Block))
                {
                    _emptySince.Remove(key);
                    LogBlockReturned(Node, pool.Pool, usage.Block);
                }
            }
        }
    }

    private async Task<bool> HoldsBorrowedAsync(NodeBlocks pool)
    {
        foreach (var block in pool.Borrowed)
        {
            if ((await Block(pool.Pool, block).ListAllocationsAsync()).Any(l => l.Pod.Node == Node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Forgets the block (durably), then has the pool return it (docs/architecture.md, "Block
    /// lifecycle"): new allocations of this node no longer pick it, and one already on its way
    /// either lands before the block is retired (the return is undone and the block remembered
    /// again) or finds it retired and claims it afresh through the pool. A crash after forgetting
    /// leaves a claim the pool hands back on the node's next claim.
    /// </summary>
    private Task<bool> ReturnBlockAsync(string pool, string block) =>
        // Through the claim gate: the node's block count changes one call at a time, so a claim never
        // counts past MaxBlocksPerNode while a return is half done.
        _claims.RunAsync(pool, () => ForgetAndReturnAsync(pool, block), shareOutcome: false);

    private async Task<bool> ForgetAndReturnAsync(string pool, string block)
    {
        if (!BlocksOf(pool).Owned.Remove(block))
        {
            return false; // another call is returning it, or it is no longer the node's
        }

        _freeHint.Remove(BlockKey.Of(pool, block));
        bool returned;
        try
        {
            await _writer.CommitAsync();
            returned = await GrainFactory.GetGrain<IPoolGrain>(pool).ReturnBlockAsync(block, Node);
        }
        catch
        {
            await RememberAgainAsync(pool, block);
            throw;
        }

        if (!returned)
        {
            await RememberAgainAsync(pool, block);
        }

        return returned;
    }

    /// <inheritdoc />
    public Task<bool> ReturnStrandedBlockAsync(string pool, string block)
    {
        _writer.ThrowIfFailed();
        return _claims.RunAsync(pool, () => ReturnIfStrandedAsync(pool, block), shareOutcome: false);
    }

    private async Task<bool> ReturnIfStrandedAsync(string pool, string block)
    {
        var blocks = BlocksOf(pool);
        if (blocks.Owned.Contains(block) || blocks.Borrowed.Contains(block))
        {
            return false; // the node knows it: its own timer returns it when empty
        }

        var claim = (await GrainFactory.GetGrain<IPoolGrain>(pool).ListClaimsAsync()).FirstOrDefault(c => c.Block == block);
        if (claim is not { Confirmed: true, Returning: false } || claim.Node != Node || (await Block(pool, block).GetUsageAsync()).Used > 0)
        {
            return false;
        }

        // Straight to the pool (it retires the block only if still empty): the node does not list
        // the block, so there is nothing to forget first. Adopting it first would turn a write with
        // an unknown outcome into a block the node lists and holds for its empty-block grace period,
        // after its drain; this way a failure leaves it stranded, and the next scan asks again. A
        // block the pool could not retire (a pod borrowed in it meanwhile) becomes the node's, as
        // any undone return does.
        var returned = await GrainFactory.GetGrain<IPoolGrain>(pool).ReturnBlockAsync(block, Node);
        if (returned)
        {
            LogStrandedReturned(Node, pool, block);
        }
        else
        {
            await RememberAgainAsync(pool, block);
        }

        return returned;
    }

    /// <summary>A return that failed or was undone: the block is (maybe still) the node's.</summary>
    private async Task RememberAgainAsync(string pool, string block)
    {
        var blocks = BlocksOf(pool);
        if (!_writer.Failed && !blocks.Owned.Contains(block))
        {
            blocks.Owned.Add(block);
            blocks.Borrowed.Remove(block);
            await _writer.CommitAsync();
        }
    }

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Node {Node} returned block {Block} of pool {Pool}, which the pool had claimed for it but the node did not list")]
    private partial void LogStrandedReturned(string node, string pool, string block);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Node {Node} returned empty block {Block} to pool {Pool}")]
    private partial void LogBlockReturned(string node, string pool, string block);
}
