using System.Threading.Channels;

namespace DistIpam.Server.Services;

/// <summary>
/// One watch's buffer between the <see cref="ServiceEventHub"/> and its stream. Bounded by a count
/// of events: the hub never waits for a watcher; a watcher past its bound is dropped.
/// </summary>
public sealed class ServiceWatcher(int capacity)
{
    private readonly Channel<IReadOnlyList<ServiceHubEvent>> _channel =
        Channel.CreateUnbounded<IReadOnlyList<ServiceHubEvent>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private int _pending;
    private volatile bool _dropped;

    /// <summary>The bound, in events.</summary>
    public int Capacity { get; } = capacity;

    /// <summary>Batches in version order.</summary>
    public ChannelReader<IReadOnlyList<ServiceHubEvent>> Reader => _channel.Reader;

    /// <summary>True once the watcher fell behind by more than <see cref="Capacity"/> events.</summary>
    public bool Dropped => _dropped;

    /// <summary>Hands a batch over without waiting; false (and dropped) when it would exceed the bound.</summary>
    public bool Offer(IReadOnlyList<ServiceHubEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_dropped)
        {
            return false;
        }

        if (Interlocked.Add(ref _pending, batch.Count) > Capacity)
        {
            _dropped = true;
            _channel.Writer.TryComplete();
            return false;
        }

        return _channel.Writer.TryWrite(batch);
    }

    /// <summary>The stream has taken <paramref name="count"/> events out of the buffer.</summary>
    public void Consumed(int count) => Interlocked.Add(ref _pending, -count);

    /// <summary>Ends the watcher (hub shutting down or resync needed).</summary>
    public void Close() => _channel.Writer.TryComplete();
}
