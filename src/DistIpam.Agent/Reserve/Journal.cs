using System.Buffers.Binary;
using System.Diagnostics;
using DistIpam.Agent.Metrics;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace DistIpam.Agent.Reserve;

/// <summary>
/// The agent's append-only journal: 4-byte big-endian length + a <see cref="JournalRecord"/>, fsynced
/// before a record's task completes. Group commit without a writer thread: <see cref="Enqueue"/> only
/// queues (cheap, so callers may hold their own lock and keep the journal in the order they applied
/// records), and <see cref="Commit"/> makes the calling thread the leader that writes and fsyncs
/// everything queued, unless another leader is already at it, in which case that leader takes the new
/// records in its next round. A burst of ADDs pays for one flush, and the common single ADD answers on
/// its own thread with no hand-off to a writer (docs/agent.md, Where an ADD's time goes). A torn last
/// record (a crash mid-write, never acknowledged) is ignored at replay.
/// </summary>
public sealed partial class Journal : IDisposable
{
    // A leader under a steady stream of appends would never get back to its own answer: after this many
    // rounds it hands the rest to a thread-pool leader.
    private const int MaxLeaderRounds = 4;
    private readonly string _path;
    private readonly ILogger<Journal> _logger;
    private readonly AgentMetrics _metrics;
    private readonly object _gate = new();
    private List<(byte[] Bytes, TaskCompletionSource Done)> _queued = [];
    private bool _leading;
    private bool _closed;
    private FileStream? _file;

    /// <summary>Opens the journal named by <see cref="AgentOptions.JournalPath"/> (created when missing).</summary>
    public Journal(IOptions<AgentOptions> options, AgentMetrics metrics, ILogger<Journal> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = options.Value.JournalPath;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>
    /// Reads every whole record, then rewrites the journal as <paramref name="compact"/> of them
    /// (fsynced, then renamed over the old file) and starts appending.
    /// </summary>
    public IReadOnlyList<JournalRecord> Open(Func<IReadOnlyList<JournalRecord>, IEnumerable<JournalRecord>> compact)
    {
        ArgumentNullException.ThrowIfNull(compact);
        var directory = Path.GetDirectoryName(Path.GetFullPath(_path))!;
        Directory.CreateDirectory(directory);
        var records = File.Exists(_path) ? Read(File.ReadAllBytes(_path)) : [];
        var temporary = _path + ".tmp";
        using (var rewrite = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var record in compact(records))
            {
                rewrite.Write(Encode(record));
            }

            rewrite.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
        LogOpened(_logger, _path, records.Count);
        return records;
    }

    /// <summary>
    /// Queues <paramref name="record"/> behind every record queued before it; the task completes once it
    /// is on disk, after some <see cref="Commit"/>. No I/O: safe under the caller's lock.
    /// </summary>
    public Task Enqueue(JournalRecord record)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var bytes = Encode(record);
        lock (_gate)
        {
            if (_closed)
            {
                done.SetException(new ObjectDisposedException(nameof(Journal)));
            }
            else
            {
                _queued.Add((bytes, done));
            }
        }

        return done.Task;
    }

    /// <summary>Writes and fsyncs everything queued on this thread, unless a leader is already doing so.</summary>
    public void Commit()
    {
        lock (_gate)
        {
            if (_leading || _queued.Count == 0)
            {
                return;
            }

            _leading = true;
        }

        for (var round = 0; ; round++)
        {
            List<(byte[] Bytes, TaskCompletionSource Done)> batch;
            lock (_gate)
            {
                if (_queued.Count == 0 || round == MaxLeaderRounds)
                {
                    _leading = false;
                    Monitor.PulseAll(_gate);
                    if (_queued.Count > 0)
                    {
                        _ = Task.Run(Commit);
                    }

                    return;
                }

                batch = _queued;
                _queued = [];
            }

            WriteBatch(batch);
        }
    }

    /// <summary>Queues and commits <paramref name="record"/>; never call it under a lock (it may fsync here).</summary>
    public Task AppendAsync(JournalRecord record)
    {
        var written = Enqueue(record);
        Commit();
        return written;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            while (_leading)
            {
                Monitor.Wait(_gate, TimeSpan.FromSeconds(5));
            }
        }

        Commit();
        _file?.Dispose();
    }

    private void WriteBatch(List<(byte[] Bytes, TaskCompletionSource Done)> batch)
    {
        try
        {
            var file = _file ?? throw new InvalidOperationException("the journal is not open");
            foreach (var (bytes, _) in batch)
            {
                file.Write(bytes);
            }

            var start = Stopwatch.GetTimestamp();
            file.Flush(flushToDisk: true);
            _metrics.JournalFsynced(Stopwatch.GetElapsedTime(start), batch.Count);
            batch.ForEach(d => d.Done.TrySetResult());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Nothing of this batch is acknowledged: every waiter fails (its ADD answers an error).
            LogWriteFailed(_logger, _path, e.Message);
            batch.ForEach(d => d.Done.TrySetException(e));
        }
    }

    private static byte[] Encode(JournalRecord record)
    {
        var length = record.CalculateSize();
        var bytes = new byte[4 + length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, length);
        record.WriteTo(bytes.AsSpan(4));
        return bytes;
    }

    private static List<JournalRecord> Read(byte[] bytes)
    {
        var records = new List<JournalRecord>();
        var offset = 0;
        while (offset + 4 <= bytes.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            if (length < 0 || offset + 4 + length > bytes.Length)
            {
                break;
            }

            try
            {
                records.Add(JournalRecord.Parser.ParseFrom(bytes, offset + 4, length));
            }
            catch (InvalidProtocolBufferException)
            {
                break;
            }

            offset += 4 + length;
        }

        return records;
    }

    [LoggerMessage(EventId = 15200, Level = LogLevel.Information, Message = "Journal {Path} opened with {Records} records")]
    private static partial void LogOpened(ILogger logger, string path, int records);

    [LoggerMessage(EventId = 15201, Level = LogLevel.Error, Message = "Journal {Path} write failed: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string error);
}
