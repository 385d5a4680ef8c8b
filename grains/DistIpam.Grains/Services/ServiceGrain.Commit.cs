using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Services;

/// <summary>
/// Writing a change, then publishing it (docs/architecture.md rules 1-3; docs/services.md): the
/// feed never carries a change that storage does not hold, and a durable change is always
/// published, however the publishing was interrupted.
/// </summary>
public sealed partial class ServiceGrain
{
    private static readonly TimeSpan PublishRetryPeriod = TimeSpan.FromSeconds(2);

    private IGrainTimer? _publishRetry;

    // A failed write left the in-memory state unknown: this activation answers nothing more.
    private bool _broken;

    // The durable state still lists events that are already in the feed (cleared by the next write).
    private bool _publishedNotWritten;

    /// <summary>
    /// Writes (with its events, under one batch id) <paramref name="next"/>, then appends the
    /// events to the feed and stamps their versions. The caller has published any earlier change
    /// first (<c>PrepareAsync</c>), so the feed keeps each service's changes in order. A failed write
    /// deactivates the grain and fails with <c>Unavailable</c>; nothing is published or given
    /// back then (the write may have landed: the next activation publishes what storage holds,
    /// and the reconciliation frees what it does not). A failed append fails with
    /// <c>Unavailable</c> although the change is durable; it is retried on a timer, by every later
    /// call, on the next activation and by <see cref="IServiceReconcilerGrain"/>.
    /// </summary>
    private async Task CommitAsync(ServiceState next, List<ServiceEvent> events, bool delete)
    {
        var batch = Guid.NewGuid();
        next.Unpublished = [.. events.Select(e => e with { Batch = batch })];
        state.State = next;
        try
        {
            await state.WriteStateAsync();
            _publishedNotWritten = false;
        }
        catch (Exception e)
        {
            _broken = true;
            LogWriteFailed(e, Key);
            DeactivateOnIdle();
            throw IpamGrainException.Unavailable($"service {Key}: the state write failed, the change may or may not have happened; retry ({e.Message})");
        }

        await PublishAsync();
        if (delete)
        {
            try
            {
                await state.ClearStateAsync();
                _publishedNotWritten = false;
            }
            catch (Exception e)
            {
                // The deletion is durable and published; what remains is a record-less state.
                LogClearFailed(e, Key);
            }
        }
    }

    /// <summary>Appends the durable state's unpublished events, if any, and stamps their versions.</summary>
    private async Task PublishAsync()
    {
        var pending = state.State.Unpublished;
        if (pending.Count == 0)
        {
            return;
        }

        IReadOnlyList<long> versions;
        try
        {
            versions = await Feed.AppendAsync(pending);
        }
        catch (Exception e)
        {
            LogPublishFailed(e, Key);
            _publishRetry ??= this.RegisterGrainTimer(RetryPublishAsync, new GrainTimerCreationOptions(PublishRetryPeriod, PublishRetryPeriod) { KeepAlive = true });
            throw e is IpamGrainException { Kind: Core.Errors.IpamErrorKind.Unavailable }
                ? e
                : IpamGrainException.Unavailable($"service {Key}: its change is durable but not yet in the feed; it will be published ({e.Message})");
        }

        var current = state.State;
        for (var i = 0; i < pending.Count; i++)
        {
            if (pending[i].Service is not null && current.Record is not null)
            {
                current.Record = current.Record with { Version = versions[i] };
            }
            else if (pending[i].Slice is { } slice && current.Slices.FirstOrDefault(s => s.Name == slice.Name) is { } target)
            {
                target.Version = versions[i];
            }
        }

        current.Unpublished = [];
        _publishedNotWritten = true;
        _publishRetry?.Dispose();
        _publishRetry = null;
    }

    private async Task TryPublishAsync()
    {
        try
        {
            await PublishAsync();
        }
        catch (IpamGrainException)
        {
            // Logged and retried by the timer PublishAsync armed.
        }
    }

    private Task RetryPublishAsync(CancellationToken cancellationToken) => _broken ? Task.CompletedTask : TryPublishAsync();

    private void ThrowIfBroken()
    {
        if (_broken)
        {
            throw IpamGrainException.Unavailable($"service {Key} is reloading after a failed write; retry");
        }
    }
}
