namespace DistIpam.Grains.Pools;

/// <summary>
/// Orders a reentrant pool grain's operations: claims and returns run side by side ("shared");
/// a definition update or a deletion ("exclusive") waits for the shared ones in flight, and new
/// ones wait for it, so it never sees a claim half made (docs/architecture.md, "Block lifecycle").
/// Runs on the grain's single-threaded scheduler: no locks.
/// </summary>
internal sealed class PoolGate
{
    // Awaiting another operation only to know it ended: its failure is its caller's, not ours.
    private const ConfigureAwaitOptions IgnoreFailure =
        ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext;

    private readonly HashSet<Task> _shared = [];
    private Task? _exclusive;

    /// <summary>Runs <paramref name="operation"/> once no exclusive operation runs.</summary>
    public async Task<T> SharedAsync<T>(Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        while (_exclusive is { } running)
        {
            await running.ConfigureAwait(IgnoreFailure);
        }

        var task = operation();
        _shared.Add(task);
        try
        {
            return await task;
        }
        finally
        {
            _shared.Remove(task);
        }
    }

    /// <summary>Runs <paramref name="operation"/> alone: after every shared one in flight, before any new one.</summary>
    public async Task ExclusiveAsync(Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        while (_exclusive is { } running)
        {
            await running.ConfigureAwait(IgnoreFailure);
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _exclusive = done.Task;
        try
        {
            // None can start now; a finished one may not have left the set yet.
            while (_shared.Where(t => !t.IsCompleted).ToList() is { Count: > 0 } running)
            {
                await Task.WhenAll(running).ConfigureAwait(IgnoreFailure);
            }

            await operation();
        }
        finally
        {
            _exclusive = null;
            done.SetResult();
        }
    }
}
