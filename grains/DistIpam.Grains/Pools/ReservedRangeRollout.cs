using DistIpam.Grains.Blocks;
using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Pools;

/// <summary>
/// Pushes a pool's new reserved ranges to its blocks all or nothing (docs/architecture.md, "Block
/// lifecycle"). First every block reserves the old and the new ranges together: refused, naming
/// the address, where a held address lies in a new range, and then the blocks already widened go
/// back (narrowing never conflicts with a held address). Then the owner writes the definition, and
/// every block narrows to the new ranges (which cannot conflict either). A failure in that last
/// step leaves blocks reserving more than needed, never less; repeating the update finishes it.
/// Runs inside the pool grain's exclusive section, so no claim changes the block list meanwhile.
/// </summary>
internal sealed partial class ReservedRangeRollout(IGrainFactory grains, string pool, IReadOnlyList<string> blocks, ILogger logger)
{
    /// <summary>Every block reserves <paramref name="before"/> and <paramref name="after"/>; on a refusal none does.</summary>
    public async Task WidenAsync(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var widened = before.Union(after, StringComparer.Ordinal).ToList();
        var done = new List<string>();
        try
        {
            foreach (var block in blocks)
            {
                await Block(block).UpdateReservedAsync(widened);
                done.Add(block);
            }
        }
        catch (Exception cause)
        {
            foreach (var block in done)
            {
                await UndoAsync(block, before, cause);
            }

            throw;
        }
    }

    /// <summary>Every block reserves exactly <paramref name="after"/> (after <see cref="WidenAsync"/>).</summary>
    public async Task NarrowAsync(IReadOnlyList<string> after)
    {
        foreach (var block in blocks)
        {
            await Block(block).UpdateReservedAsync(after);
        }
    }

    private async Task UndoAsync(string block, IReadOnlyList<string> before, Exception cause)
    {
        try
        {
            await Block(block).UpdateReservedAsync(before);
        }
        catch (Exception e)
        {
            // It keeps reserving more than needed (safe); the next update of the pool narrows it.
            LogUndoFailed(logger, e, pool, block, cause.Message);
        }
    }

    private IBlockGrain Block(string block) => grains.GetGrain<IBlockGrain>(BlockKey.Of(pool, block));

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Pool {Pool}: block {Block} could not go back to its reserved ranges after a failed update ({Cause}); it reserves more until the next update")]
    private static partial void LogUndoFailed(ILogger logger, Exception exception, string pool, string block, string cause);
}
