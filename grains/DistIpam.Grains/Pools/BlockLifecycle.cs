using DistIpam.Core.Pools;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Pools;

/// <summary>
/// The life of a pool's block claims, in one place (docs/architecture.md, "Block lifecycle"):
/// pending (durable before the block records its owner), confirmed, returning (durable before the
/// block is retired), removed. A claim is never completed (its block never initialized) while it
/// is returning, and a return waits for completions of its block in flight, so no allocation can
/// land in a block whose claim is being released. Part of <see cref="PoolGrain"/>: runs on its
/// single-threaded scheduler, so no locks.
/// </summary>
internal sealed partial class BlockLifecycle(
    IPersistentState<PoolState> state,
    WriteBatcher writer,
    IGrainFactory grains,
    string pool,
    IpamGrainOptions options,
    TimeProvider time,
    ILogger logger)
{
    private const ConfigureAwaitOptions IgnoreFailure =
        ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext;

    // Claims being made or completed in this activation, by block: never repaired, and a return waits for them.
    private readonly Dictionary<string, List<Task>> _completing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task<bool>> _returning = new(StringComparer.Ordinal);
    private bool _repairing;

    private Dictionary<string, BlockClaim> Claims => state.State.Claims;

    /// <summary>Claims an unclaimed block for <paramref name="node"/>: pending (durable), block initialized, confirmed.</summary>
    public Task StartAsync(string block, string node, PoolDefinition definition)
    {
        var claim = new BlockClaim { Block = block, Node = node, ClaimedAtUnixMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        Claims[block] = claim;
        return TrackCompletion(block, StartCoreAsync(claim, definition));
    }

    /// <summary>
    /// Initializes the block of an existing claim (a reply the node lost, or an owner record the
    /// block lost) and confirms it. <c>Unavailable</c> while the claim is returning.
    /// </summary>
    public Task CompleteAsync(BlockClaim claim, PoolDefinition definition)
    {
        if (Claims.TryGetValue(claim.Block, out var current) && current.Returning)
        {
            return Task.FromException(IpamGrainException.Unavailable(
                $"block {claim.Block} of pool '{pool}' is being returned by node '{current.Node}'; retry"));
        }

        return TrackCompletion(claim.Block, CompleteCoreAsync(claim, definition));
    }

    /// <summary>
    /// Waits for a return of <paramref name="block"/> in flight, or completes or undoes one a crash
    /// interrupted, so the caller then sees the block claimed or not, never returning.
    /// </summary>
    public async Task SettleReturnAsync(string block)
    {
        while (Claims.TryGetValue(block, out var claim) && claim.Returning)
        {
            await ReturnAsync(block, claim.Node);
        }
    }

    /// <summary>Returns <paramref name="node"/>'s block; see <see cref="IPoolGrain.ReturnBlockAsync"/>.</summary>
    public async Task<bool> ReturnAsync(string block, string node)
    {
        while (true)
        {
            if (_returning.TryGetValue(block, out var returning))
            {
                return await returning;
            }

            // A finished completion may not have left the list yet (its cleanup runs after us).
            if (!_completing.TryGetValue(block, out var completing) || completing.Where(t => !t.IsCompleted).ToList() is not { Count: > 0 } running)
            {
                break;
            }

            await Task.WhenAll(running).ConfigureAwait(IgnoreFailure);
        }

        if (!Claims.TryGetValue(block, out var claim) || claim.Node != node)
        {
            return true;
        }

        if (!claim.Confirmed)
        {
            return false;
        }

        var task = ReturnCoreAsync(claim);
        _returning[block] = task;
        try
        {
            return await task;
        }
        finally
        {
            _returning.Remove(block);
        }
    }

    /// <summary>
    /// Resolves pending claims older than <paramref name="olderThan"/> from their blocks' own
    /// records (never one being made in this activation), and completes or undoes returns a crash
    /// interrupted. Returns how many it resolved.
    /// </summary>
    public async Task<int> RepairAsync(TimeSpan olderThan)
    {
        if (_repairing)
        {
            // Interleaved claims need not wait for a repair another call is already running.
            return 0;
        }

        _repairing = true;
        try
        {
            var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)olderThan.TotalMilliseconds;
            var stale = Claims.Values.Where(c => !c.Confirmed && c.ClaimedAtUnixMs <= cutoff && !_completing.ContainsKey(c.Block)).ToList();
            var interrupted = Claims.Values.Where(c => c.Returning && !_returning.ContainsKey(c.Block)).ToList();
            var repaired = 0;
            foreach (var claim in stale)
            {
                var usage = await Block(claim.Block).GetUsageAsync();
                if (!Claims.TryGetValue(claim.Block, out var current) || current != claim || _completing.ContainsKey(claim.Block))
                {
                    continue; // confirmed, released, re-claimed or being completed while we asked the block
                }

                if (usage.Owner is null)
                {
                    Claims.Remove(claim.Block);
                }
                else
                {
                    Claims[claim.Block] = claim with { Node = usage.Owner, Confirmed = true };
                }

                repaired++;
                LogClaimRepaired(logger, pool, claim.Block, claim.Node, usage.Owner);
            }

            if (repaired > 0)
            {
                await writer.CommitAsync();
            }

            foreach (var claim in interrupted)
            {
                try
                {
                    await ReturnAsync(claim.Block, claim.Node);
                    repaired++;
                }
                catch (Exception e)
                {
                    // Its block is unreachable now: the claim stays returning (never handed out),
                    // and the next repair tries again. Claims of other blocks go on meanwhile.
                    LogReturnUnresolved(logger, e, pool, claim.Block, claim.Node);
                }
            }

            return repaired;
        }
        finally
        {
            _repairing = false;
        }
    }

    private async Task TrackCompletion(string block, Task completion)
    {
        if (!_completing.TryGetValue(block, out var list))
        {
            _completing[block] = list = [];
        }

        list.Add(completion);
        try
        {
            await completion;
        }
        finally
        {
            list.Remove(completion);
            if (list.Count == 0 && _completing.TryGetValue(block, out var now) && now == list)
            {
                _completing.Remove(block);
            }
        }
    }

    private async Task StartCoreAsync(BlockClaim claim, PoolDefinition definition)
    {
        await writer.CommitAsync();
        await CompleteCoreAsync(claim, definition);
    }

    private async Task CompleteCoreAsync(BlockClaim claim, PoolDefinition definition)
    {
        // The intent must be durable before the block records its owner (a claim found in memory may still be in a batch).
        await writer.WhenDurableAsync();
        await Block(claim.Block).InitializeAsync(new BlockSettings
        {
            Owner = claim.Node,
            Reserved = definition.ReservedRanges,
            HasGateway = definition.Wiring == (int)PoolWiring.Bridged,
            ReleaseCooldown = options.ReleaseCooldown,
        });
        if (!claim.Confirmed && Claims.TryGetValue(claim.Block, out var current) && current == claim)
        {
            Claims[claim.Block] = claim with { Confirmed = true };
            await writer.CommitAsync();
            LogClaimed(logger, pool, claim.Block, claim.Node);
        }
    }

    private async Task<bool> ReturnCoreAsync(BlockClaim claim)
    {
        // Durable first: a crash after the block is retired leaves a claim the next activation
        // finishes returning, never one it hands back as if the block were still initialized.
        var returning = claim with { Returning = true };
        if (!claim.Returning)
        {
            Claims[claim.Block] = returning;
            await writer.CommitAsync();
        }

        var retired = await Block(claim.Block).RetireIfEmptyAsync(claim.Node);
        if (Claims.TryGetValue(claim.Block, out var current) && current == returning)
        {
            if (retired)
            {
                Claims.Remove(claim.Block);
            }
            else
            {
                Claims[claim.Block] = returning with { Returning = false };
            }

            await writer.CommitAsync();
        }

        LogReturn(logger, pool, claim.Block, claim.Node, retired);
        return retired;
    }

    private IBlockGrain Block(string block) => grains.GetGrain<IBlockGrain>(BlockKey.Of(pool, block));

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Pool {Pool}: block {Block} claimed by node {Node}")]
    private static partial void LogClaimed(ILogger logger, string pool, string block, string node);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Pool {Pool}: return of block {Block} by node {Node} finished (returned: {Returned})")]
    private static partial void LogReturn(ILogger logger, string pool, string block, string node, bool returned);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Pool {Pool}: interrupted return of block {Block} by node {Node} could not be resolved yet")]
    private static partial void LogReturnUnresolved(ILogger logger, Exception exception, string pool, string block, string node);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Pool {Pool}: pending claim of block {Block} by node {Node} repaired; owner is {Owner}")]
    private static partial void LogClaimRepaired(ILogger logger, string pool, string block, string node, string? owner);
}
