using System.Diagnostics.Metrics;
using DistIpam.Grains.Services;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Services;

/// <summary>
/// The fan-out of one silo: follows the <see cref="IServiceFeedGrain"/> (read what is new, else
/// long-poll for more) and hands every batch to each registered <see cref="ServiceWatcher"/>
/// without waiting for any of them, so a slow watcher never slows writers or other watchers.
/// </summary>
public sealed partial class ServiceEventHub(
    IGrainFactory grains,
    IOptions<ServiceWatchOptions> options,
    IMeterFactory meters,
    ILogger<ServiceEventHub> logger) : BackgroundService
{
    /// <summary>The meter of the service API.</summary>
    public const string MeterName = "DistIpam.Services";

    private const int PageSize = 1_000;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly List<ServiceWatcher> _watchers = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Counter<long> _dropped = meters.Create(MeterName).CreateCounter<long>("distipam_service_watchers_dropped", description: "Watchers dropped because they fell behind");
    private long _position = -1;

    private IServiceFeedGrain Feed => grains.GetGrain<IServiceFeedGrain>(IServiceFeedGrain.Key);

    /// <summary>Registers a watcher; returns it and the version the hub has handed out up to (later events go to it).</summary>
    public async Task<(ServiceWatcher Watcher, long Position)> RegisterAsync(CancellationToken cancellationToken)
    {
        await _started.Task.WaitAsync(cancellationToken);
        var watcher = new ServiceWatcher(Math.Max(1, options.Value.WatcherBufferEvents));
        lock (_gate)
        {
            _watchers.Add(watcher);
            return (watcher, _position);
        }
    }

    /// <summary>Watchers connected to this server now (for the metrics).</summary>
    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Forgets a watcher. Idempotent.</summary>
    public void Unregister(ServiceWatcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StepAsync();
                backoff = TimeSpan.FromMilliseconds(50);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFollowFailed(e, _position);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }

        lock (_gate)
        {
            _watchers.ForEach(w => w.Close());
            _watchers.Clear();
        }
    }

    private async Task StepAsync()
    {
        if (_position < 0)
        {
            _position = (await Feed.ReadAsync(long.MaxValue, 0)).Latest;
            _started.TrySetResult();
            LogStarted(_position);
        }

        var page = await Feed.ReadAsync(_position, PageSize);
        if (page.TooOld)
        {
            // The hub itself fell out of the retained history: every watcher must resume or relist.
            LogHubTooOld(_position, page.OldestResumable);
            lock (_gate)
            {
                _watchers.ForEach(w => w.Close());
                _watchers.Clear();
                _position = page.Latest;
            }

            return;
        }

        if (page.Events.Count == 0)
        {
            await Feed.WaitAsync(_position, options.Value.FeedPollTimeout);
            return;
        }

        var batch = page.Events.Select(e => new ServiceHubEvent(e, ServiceProtoMapper.ToProto(e))).ToList();
        lock (_gate)
        {
            for (var i = _watchers.Count - 1; i >= 0; i--)
            {
                if (!_watchers[i].Offer(batch))
                {
                    LogWatcherDropped(_watchers[i].Capacity, _position);
                    _dropped.Add(1);
                    _watchers.RemoveAt(i);
                }
            }

            _position = batch[^1].Source.Version;
        }
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Service event hub follows the feed from version {Version}")]
    private partial void LogStarted(long version);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Service event hub: reading the feed after version {Version} failed; retrying")]
    private partial void LogFollowFailed(Exception exception, long version);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "Service event hub: a watcher fell more than {Capacity} events behind at version {Version} and was dropped")]
    private partial void LogWatcherDropped(int capacity, long version);

    [LoggerMessage(EventId = 7304, Level = LogLevel.Error, Message = "Service event hub fell behind the retained history (at {Version}, oldest {Oldest}); all watchers were closed")]
    private partial void LogHubTooOld(long version, long oldest);
}
