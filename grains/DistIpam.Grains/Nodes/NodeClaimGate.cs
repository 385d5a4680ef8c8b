namespace DistIpam.Grains.Nodes;

/// <summary>
/// One claim at a time per pool for a node grain (docs/architecture.md, "Block lifecycle"): every
/// call that may claim a block for the node — a new block, a requested address's block, a block
/// whose owner record was lost — or return one runs through <see cref="RunAsync"/>, so the node's
/// block count is checked and changed by one call at a time, and a burst of pods claims one block,
/// not one each.
/// Runs on the grain's single-threaded scheduler: no locks.
/// </summary>
internal sealed class NodeClaimGate
{
    // Awaiting another call's claim only to know it ended: its failure is its caller's.
    private const ConfigureAwaitOptions IgnoreFailure =
        ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext;

    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>
    /// The new-block claim running for <paramref name="pool"/>, whose outcome (EXHAUSTED included)
    /// a waiting caller shares, or null. Another kind of claim shows as one that cannot fail.
    /// </summary>
    public Task? Running(string pool) =>
        _running.TryGetValue(pool, out var running) && !running.IsCompleted ? running : null;

    /// <summary>
    /// Runs <paramref name="claim"/> once no other claim of the node in <paramref name="pool"/>
    /// runs. With <paramref name="shareOutcome"/>, callers that wait for it see its failure (a
    /// new-block claim: its EXHAUSTED is theirs too); without, only that it ended.
    /// </summary>
    public async Task<T> RunAsync<T>(string pool, Func<Task<T>> claim, bool shareOutcome)
    {
        ArgumentNullException.ThrowIfNull(claim);

        // A finished claim may not have left the gate yet (its cleanup runs after us): the gate is free.
        while (Running(pool) is { } running)
        {
            await Task.WhenAll(running).ConfigureAwait(IgnoreFailure);
        }

        var task = claim();
        var gate = shareOutcome ? task : IgnoringFailureAsync(task);
        _running[pool] = gate;
        try
        {
            return await task;
        }
        finally
        {
            if (_running.TryGetValue(pool, out var current) && current == gate)
            {
                _running.Remove(pool);
            }
        }
    }

    private static async Task IgnoringFailureAsync(Task task) => await Task.WhenAll(task).ConfigureAwait(IgnoreFailure);
}
