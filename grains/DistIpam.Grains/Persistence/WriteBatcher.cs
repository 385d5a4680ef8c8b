using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Persistence;

/// <summary>
/// Group commit for a reentrant grain: callers mutate in-memory state, then await
/// <see cref="CommitAsync"/>. At most one write is in flight; every mutation made while it runs
/// joins the next batch, which one write covers. Runs on the grain's single-threaded scheduler,
/// so no locks are needed.
/// After a failed write the in-memory state may be ahead of storage (DESIGN §3 rule 3): the
/// batcher fails that batch and every later one, and the owner must deactivate.
/// </summary>
internal sealed class WriteBatcher(Func<Task> writeAsync, Action onFailure)
{
    private TaskCompletionSource? _next;
    private TaskCompletionSource? _current;
    private bool _running;
    private Exception? _failure;

    /// <summary>True once a write has failed; the owner must not serve from memory any more.</summary>
    public bool Failed => _failure is not null;

    /// <summary>Completes when a write that started after this call has committed.</summary>
    public Task CommitAsync()
    {
        if (_failure is not null)
        {
            return Task.FromException(IpamGrainException.Unavailable($"state is reloading after a failed write: {_failure.Message}"));
        }

        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _next.Task;
        if (!_running)
        {
            _running = true;
            _ = PumpAsync();
        }

        return task;
    }

    /// <summary>
    /// Completes when every mutation made so far is durable: a read that answers from memory
    /// awaits this so it never acknowledges state another caller has not yet seen written.
    /// </summary>
    public Task WhenDurableAsync() => _next?.Task ?? _current?.Task ?? Task.CompletedTask;

    private async Task PumpAsync()
    {
        while (_next is { } batch)
        {
            _next = null;
            _current = batch;
            try
            {
                await writeAsync();
                batch.TrySetResult();
            }
            catch (Exception e)
            {
                _failure = e;
                batch.TrySetException(e);
                _next?.TrySetException(e);
                _next = null;
                onFailure();
                break;
            }
        }

        _current = null;
        _running = false;
    }
}
