using System.Threading.Channels;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;

namespace DistIpam.Server.Reconciliation;

/// <summary>
/// Retries, until done, the releases handle grains could not do at once (a dual-stack rollback or
/// a failed record write during a storage outage), through the handle grain so it re-checks its
/// record and fences first. In memory: a silo crash drops the queue, not the obligation — the
/// addresses stay in their blocks and <see cref="Reconciler"/>'s scan finds them.
/// </summary>
public sealed partial class DeferredReleaseRetrier(
    IGrainFactory grains,
    ReconcileOptions options,
    ILogger<DeferredReleaseRetrier> logger) : BackgroundService, IDeferredReleases
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly Channel<(string Handle, IReadOnlyList<AddressLease> Leases)> _queue =
        Channel.CreateBounded<(string, IReadOnlyList<AddressLease>)>(new BoundedChannelOptions(options.MaxDeferred) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <inheritdoc />
    public void Enqueue(string handleId, IReadOnlyList<AddressLease> leases)
    {
        if (!_queue.Writer.TryWrite((handleId, leases)))
        {
            LogQueueFull(handleId);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (handle, leases) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            _ = RetryAsync(handle, leases, stoppingToken);
        }
    }

    private async Task RetryAsync(string handle, IReadOnlyList<AddressLease> leases, CancellationToken stoppingToken)
    {
        var delay = options.RetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, stoppingToken);
                var released = await grains.GetGrain<IHandleGrain>(handle).ReleaseUnrecordedAsync(leases);
                LogDone(handle, released.Count, leases.Count);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRetry(handle, e.Message);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Deferred release of handle {Handle}: released {Released} of {Candidates} (the rest are recorded)")]
    private partial void LogDone(string handle, int released, int candidates);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Deferred release of handle {Handle} failed again, retrying: {Reason}")]
    private partial void LogRetry(string handle, string reason);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Deferred release queue full: handle {Handle} is left to the periodic reconciliation scan")]
    private partial void LogQueueFull(string handle);
}
