using System.Threading.Channels;

namespace DistIpam.Server.History;

/// <summary>
/// Writes history events off the hot path: a bounded queue drained by a few concurrent writers,
/// each event retried until written. What a crash (or a full queue) loses is rebuilt from the
/// blocks' own durable allocation records by the next pool sampling pass (<see cref="BackfillFromUnixMs"/>):
/// after a start, the allocations of the last <see cref="HistoryOptions.StartupBackfill"/>; after a
/// loss, those since it.
/// </summary>
public sealed partial class HistoryWriter(IGrainFactory grains, HistoryOptions options, TimeProvider time, ILogger<HistoryWriter> logger) : BackgroundService
{
    private const int Writers = 16;
    private const int Attempts = 5;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(200);
    private readonly Channel<Batch> _queue = Channel.CreateBounded<Batch>(new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _backfillFrom = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)options.StartupBackfill.TotalMilliseconds;
    private long _pending;

    /// <summary>Allocations made since this time (Unix ms) may lack their history; 0 when none may.</summary>
    public long BackfillFromUnixMs => Interlocked.Read(ref _backfillFrom);

    /// <summary>Events queued or being written.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>Queues events of one handle; never blocks. A full queue marks a backfill instead.</summary>
    public void Enqueue(string handle, IReadOnlyList<HistoryEvent> events)
    {
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite(new Batch(handle, events)))
        {
            Interlocked.Decrement(ref _pending);
            MarkLost(events.Min(e => e.AtUnixMs));
        }
    }

    /// <summary>A backfill covering allocations since <paramref name="sinceUnixMs"/> finished (events since are queued).</summary>
    public void BackfillDone(long sinceUnixMs) => Interlocked.CompareExchange(ref _backfillFrom, 0, sinceUnixMs);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => WriteLoopAsync(stoppingToken)));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        await foreach (var batch in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await WriteAsync(batch, stoppingToken);
            }
            finally
            {
                Interlocked.Decrement(ref _pending);
            }
        }
    }

    private async Task WriteAsync(Batch batch, CancellationToken stoppingToken)
    {
        var delay = FirstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var writes = batch.Events.Select(e => grains.GetGrain<IAddressHistoryGrain>(e.Address).AppendAsync([e])).ToList();
                writes.Add(grains.GetGrain<IHandleHistoryGrain>(batch.Handle).AppendAsync(batch.Events));
                await Task.WhenAll(writes);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < Attempts)
            {
                await Task.Delay(delay, stoppingToken);
                delay *= 2;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWriteFailed(batch.Handle, string.Join(", ", batch.Events.Select(x => x.Address)), e.Message);
                MarkLost(batch.Events.Min(x => x.AtUnixMs));
                return;
            }
        }
    }

    private void MarkLost(long sinceUnixMs)
    {
        // Keep the earliest loss: a backfill from it covers every later one too.
        long current;
        do
        {
            current = Interlocked.Read(ref _backfillFrom);
            if (current != 0 && current <= sinceUnixMs)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _backfillFrom, sinceUnixMs, current) != current);
    }

    [LoggerMessage(EventId = 14110, Level = LogLevel.Warning, Message = "History of {Addresses} (handle {Handle}) could not be written; allocations are rebuilt from the blocks by the next sampling pass: {Reason}")]
    private partial void LogWriteFailed(string handle, string addresses, string reason);

    private sealed record Batch(string Handle, IReadOnlyList<HistoryEvent> Events);
}
