using DistIpam.Grains.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DistIpam.Grains.Persistence;

/// <summary>
/// Group commit for a reentrant grain, and its failure guard: the one place both live
/// (docs/architecture.md, "Group commit"). Callers mutate in-memory state, then await
/// <see cref="CommitAsync"/>. At most one write is in flight; every mutation made while it runs
/// joins the next batch, which one write covers. Runs on the grain's single-threaded scheduler,
/// so no locks are needed.
/// After a failed write the in-memory state may be ahead of storage (rule 3): that batch fails,
/// and so does every later <see cref="CommitAsync"/>, <see cref="WhenDurableAsync"/> and
/// <see cref="ThrowIfFailed"/>, with <c>Unavailable</c>, while the owner deactivates (it passes
/// <c>DeactivateOnIdle</c> as <c>onFailure</c>) so the next call reloads storage.
/// </summary>
internal sealed partial class WriteBatcher
{
    private readonly string _owner;
    private readonly Func<Task> _writeAsync;
    private readonly Action _onFailure;
    private readonly BrokenVariant _variant;
    private TaskCompletionSource? _next;
    private TaskCompletionSource? _current;
    private bool _running;
    private IpamGrainException? _failure;

    /// <summary>
    /// A batcher for the grain named <paramref name="owner"/> (used in error messages), with the
    /// configured <see cref="IpamGrainOptions.UnsafeBrokenVariant"/>: when one is on, it says so
    /// once, loudly, for this activation.
    /// </summary>
    public WriteBatcher(string owner, Func<Task> writeAsync, Action onFailure, BrokenVariant variant, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _owner = owner;
        _writeAsync = writeAsync;
        _onFailure = onFailure;
        _variant = variant;
        if (variant != BrokenVariant.None)
        {
            LogBrokenVariant(logger, owner, variant);
        }
    }

    /// <summary>A batcher without a name or broken variant (for grains not yet passing their options).</summary>
    public WriteBatcher(Func<Task> writeAsync, Action onFailure)
        : this("this grain", writeAsync, onFailure, BrokenVariant.None, NullLogger.Instance)
    {
    }

    /// <summary>True once a write has failed; the owner must not serve from memory any more.</summary>
    public bool Failed => _failure is not null;

    /// <summary>
    /// Throws <c>Unavailable</c> once a write has failed. Every grain method calls it first: an
    /// activation whose memory may be ahead of storage answers nothing from it.
    /// </summary>
    public void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    /// <summary>
    /// Completes when a write that started after this call has committed; fails with
    /// <c>Unavailable</c> when that write (or an earlier one) failed.
    /// </summary>
    public Task CommitAsync()
    {
        if (_failure is not null)
        {
            return Task.FromException(_failure);
        }

        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = _next.Task;
        if (!_running)
        {
            _running = true;
            _ = PumpAsync();
        }

        // The broken variant answers now; the write still runs behind the answer.
        return _variant == BrokenVariant.AcknowledgeBeforeWrite ? Task.CompletedTask : task;
    }

    /// <summary>
    /// Completes when every mutation made so far is durable: a read that answers from memory
    /// awaits this so it never acknowledges state another caller has not yet seen written. Fails
    /// with <c>Unavailable</c> once a write has failed, since memory may then hold what storage lost.
    /// </summary>
    public Task WhenDurableAsync()
    {
        if (_failure is not null)
        {
            return Task.FromException(_failure);
        }

        // The broken variant does not wait for durability anywhere (its answers come before writes).
        if (_variant == BrokenVariant.AcknowledgeBeforeWrite)
        {
            return Task.CompletedTask;
        }

        return _next?.Task ?? _current?.Task ?? Task.CompletedTask;
    }

    /// <summary>How long the broken variant <see cref="BrokenVariant.AcknowledgeBeforeWrite"/> holds a write after answering.</summary>
    public static readonly TimeSpan BrokenWriteBehind = TimeSpan.FromMilliseconds(300);

    private async Task PumpAsync()
    {
        if (_variant == BrokenVariant.AcknowledgeBeforeWrite)
        {
            await Task.Delay(BrokenWriteBehind);
        }

        while (_next is { } batch)
        {
            _next = null;
            _current = batch;
            try
            {
                await _writeAsync();
                batch.TrySetResult();
            }
            catch (Exception e)
            {
                // The outcome of the write is unknown (it may have landed): the caller retries.
                _failure = IpamGrainException.Unavailable(
                    $"{_owner} could not write its state ({e.GetType().Name}: {e.Message}); it reloads from storage, retry");
                Fail(batch);
                if (_next is { } waiting)
                {
                    Fail(waiting);
                }

                _next = null;
                _onFailure();
                break;
            }
        }

        _current = null;
        _running = false;
    }

    private void Fail(TaskCompletionSource batch)
    {
        batch.TrySetException(_failure!);

        // Nobody may be waiting (the broken variant answered already): mark the failure observed.
        _ = batch.Task.Exception;
    }

    [LoggerMessage(EventId = 9901, Level = LogLevel.Warning, Message = "UNSAFE: {Grain} runs the deliberately broken variant {Variant} (DistIpam:Grains:UnsafeBrokenVariant); acknowledged changes can be lost. Test use only.")]
    private static partial void LogBrokenVariant(ILogger logger, string grain, BrokenVariant variant);
}
