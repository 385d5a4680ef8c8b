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
        foreach (var pool in _state.State.Pools.ToList())
        {
            var usages = new List<BlockUsage>();
            foreach (var block in pool.Owned.ToList())
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
                var lastBlockInUse = pool.Owned.Count == 1 && poolHasAllocations;
                if (now - since >= _options.EmptyBlockGracePeriod && !lastBlockInUse && await ReturnBlockAsync(pool, usage.Block))
                {
                    _emptySince.Remove(key);
                    LogBlockReturned(Node, pool.Pool, usage.Block);
                }
            }
        }
    }

    private async Task<bool> HoldsBorrowedAsync(NodeBlocks pool)
    {
        foreach (var block in pool.Borrowed.ToList())
        {
            if ((await Block(pool.Pool, block).ListAllocationsAsync()).Any(l => l.Pod.Node == Node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Retires the block (only if still empty), forgets it, and releases the pool's claim, in that
    /// order: a crash in between leaves a claim the pool hands back to this node on its next claim.
    /// </summary>
    private async Task<bool> ReturnBlockAsync(NodeBlocks pool, string block)
    {
        if (!await Block(pool.Pool, block).RetireIfEmptyAsync(Node))
        {
            return false;
        }

        pool.Owned.Remove(block);
        await _writer.CommitAsync();
        _freeHint.Remove(BlockKey.Of(pool.Pool, block));
        await GrainFactory.GetGrain<IPoolGrain>(pool.Pool).ReleaseClaimAsync(block, Node);
        return true;
    }

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Node {Node} returned empty block {Block} to pool {Pool}")]
    private partial void LogBlockReturned(string node, string pool, string block);
}
