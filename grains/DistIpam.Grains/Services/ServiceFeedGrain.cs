using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace DistIpam.Grains.Services;

/// <summary>
/// The sequencer and change log (see <see cref="IServiceFeedGrain"/>). Appends take versions in
/// call order and await a group-committed write (<see cref="WriteBatcher"/>). Every full segment
/// of the tail is written to its <see cref="IServiceFeedSegmentGrain"/> before the feed's own
/// state (which then no longer carries it) is written, so each write is at most a segment.
/// </summary>
[Reentrant]
public sealed partial class ServiceFeedGrain : Grain, IServiceFeedGrain
{
    private const int SegmentCacheSize = 8;

    // How many appended batches the feed remembers for idempotent re-appends (a service re-appends
    // only its last change, so this covers every service that changed recently).
    private const int RememberedBatches = 4096;

    private readonly IPersistentState<ServiceFeedState> _state;
    private readonly ILogger<ServiceFeedGrain> _logger;
    private readonly WriteBatcher _writer;
    private readonly int _segmentSize;
    private readonly long _retainedSegments;
    private readonly Dictionary<long, IReadOnlyList<ServiceEvent>> _segments = [];
    private readonly Dictionary<Guid, long[]> _batches = [];
    private readonly Queue<Guid> _batchOrder = new();
    private List<ServiceEvent> _tail = [];
    private long _last;
    private long _committed;
    private TaskCompletionSource<long> _changed = NewSignal();

    /// <summary>Creates the grain.</summary>
    public ServiceFeedGrain(
        [PersistentState("feed", StorageNames.Ipam)] IPersistentState<ServiceFeedState> state,
        IOptions<ServiceOptions> options,
        IOptions<IpamGrainOptions> grainOptions,
        ILogger<ServiceFeedGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(grainOptions);
        ArgumentNullException.ThrowIfNull(options);
        _state = state;
        _logger = logger;
        _segmentSize = Math.Max(1, options.Value.FeedSegmentSize);
        _retainedSegments = Math.Max(2, (options.Value.RetainedEvents + _segmentSize - 1) / _segmentSize);
        _writer = new WriteBatcher(this.GetGrainId().ToString(), WriteAsync, DeactivateOnIdle, grainOptions.Value.UnsafeBrokenVariant, logger);
    }

    private long OldestResumable => _state.State.OldestSegment * _segmentSize;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _tail = [.. _state.State.Tail];
        _last = _committed = _state.State.LastVersion;
        foreach (var batch in _tail.Where(e => e.Batch != Guid.Empty).GroupBy(e => e.Batch))
        {
            Remember(batch.Key, [.. batch.Select(e => e.Version)]);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<ServiceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _writer.ThrowIfFailed();
        var batch = events.Count > 0 ? events[0].Batch : Guid.Empty;
        if (batch != Guid.Empty && _batches.TryGetValue(batch, out var known) && known.Length == events.Count)
        {
            // Appended before (the appender lost the answer or re-publishes after a restart).
            await _writer.WhenDurableAsync();
            return known;
        }

        var versions = new long[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var version = ++_last;
            var e = events[i];
            _tail.Add(e with
            {
                Version = version,
                Service = e.Service is null ? null : e.Service with { Version = version },
                Slice = e.Slice is null ? null : e.Slice with { Version = version },
            });
            versions[i] = version;
        }

        if (batch != Guid.Empty)
        {
            Remember(batch, versions);
        }

        await _writer.CommitAsync();
        return versions;
    }

    /// <inheritdoc />
    public async Task<FeedPage> ReadAsync(long after, int max)
    {
        var latest = _committed;
        if (after < OldestResumable)
        {
            return new FeedPage { Latest = latest, OldestResumable = OldestResumable, TooOld = true };
        }

        var events = new List<ServiceEvent>();
        var next = after + 1;
        while (next <= latest && events.Count < max)
        {
            if (_tail.Count > 0 && next >= _tail[0].Version)
            {
                var index = (int)(next - _tail[0].Version);
                events.Add(_tail[index]);
                next++;
                continue;
            }

            var segment = await SegmentAsync((next - 1) / _segmentSize);
            var found = false;
            foreach (var e in segment)
            {
                if (e.Version >= next && e.Version <= latest && events.Count < max)
                {
                    events.Add(e);
                    next = e.Version + 1;
                    found = true;
                }
            }

            if (!found)
            {
                throw IpamGrainException.Unavailable($"service feed segment {(next - 1) / _segmentSize} does not hold version {next}; retry");
            }
        }

        return new FeedPage { Events = events, Latest = latest, OldestResumable = OldestResumable };
    }

    /// <inheritdoc />
    public async Task<long> WaitAsync(long after, TimeSpan timeout)
    {
        if (_committed > after)
        {
            return _committed;
        }

        await Task.WhenAny(_changed.Task, Task.Delay(timeout));
        return _committed;
    }

    private void Remember(Guid batch, long[] versions)
    {
        if (_batches.TryAdd(batch, versions))
        {
            _batchOrder.Enqueue(batch);
            if (_batchOrder.Count > RememberedBatches)
            {
                _batches.Remove(_batchOrder.Dequeue());
            }
        }
    }

    private static TaskCompletionSource<long> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<IReadOnlyList<ServiceEvent>> SegmentAsync(long number)
    {
        if (_segments.TryGetValue(number, out var cached))
        {
            return cached;
        }

        var events = await GrainFactory.GetGrain<IServiceFeedSegmentGrain>(number).ReadAsync();
        if (_segments.Count >= SegmentCacheSize)
        {
            _segments.Remove(_segments.Keys.Min());
        }

        _segments[number] = events;
        return events;
    }

    private async Task WriteAsync()
    {
        // Seal every full segment at the head of the tail first: its grain is written before the
        // feed state that no longer carries it, so no event is ever only in memory.
        while (_tail.Count > 0 && (_tail[0].Version - 1) / _segmentSize < _last / _segmentSize)
        {
            var number = (_tail[0].Version - 1) / _segmentSize;
            var sealedCount = _tail.TakeWhile(e => (e.Version - 1) / _segmentSize == number).Count();
            if (_tail[sealedCount - 1].Version % _segmentSize != 0)
            {
                break;
            }

            var sealedEvents = _tail.GetRange(0, sealedCount);
            await GrainFactory.GetGrain<IServiceFeedSegmentGrain>(number).WriteAsync(sealedEvents);
            _segments[number] = sealedEvents;
            _tail.RemoveRange(0, sealedCount);
        }

        var last = _last;
        var oldest = Math.Max(_state.State.OldestSegment, (last / _segmentSize) - _retainedSegments + 1);
        var dropped = _state.State.OldestSegment;
        _state.State.Tail = [.. _tail];
        _state.State.LastVersion = last;
        _state.State.OldestSegment = Math.Max(0, oldest);
        await _state.WriteStateAsync();
        _committed = last;
        var signal = _changed;
        _changed = NewSignal();
        signal.TrySetResult(last);
        await DropSegmentsAsync(dropped, _state.State.OldestSegment);
    }

    private async Task DropSegmentsAsync(long from, long to)
    {
        for (var number = from; number < to; number++)
        {
            _segments.Remove(number);
            try
            {
                await GrainFactory.GetGrain<IServiceFeedSegmentGrain>(number).ClearAsync();
            }
            catch (Exception e)
            {
                LogDropFailed(e, number);
            }
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Service feed: clearing retired segment {Segment} failed; it stays in storage")]
    private partial void LogDropFailed(Exception exception, long segment);
}
