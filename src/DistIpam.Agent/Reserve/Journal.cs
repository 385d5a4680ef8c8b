using System.Buffers.Binary;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace DistIpam.Agent.Reserve;

/// <summary>
/// The agent's append-only journal: 4-byte big-endian length + a <see cref="JournalRecord"/>, fsynced
/// before <see cref="AppendAsync"/> completes. Concurrent appends share one fsync (group commit), so a
/// burst of ADDs pays for one disk flush, not one each. A torn last record (a crash mid-write, never
/// acknowledged) is ignored at replay. docs/agent.md, Journal.
/// </summary>
public sealed partial class Journal : IDisposable
{
    private readonly string _path;
    private readonly Channel<(JournalRecord Record, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(JournalRecord, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger<Journal> _logger;
    private FileStream? _file;
    private Task? _writer;

    /// <summary>Opens the journal named by <see cref="AgentOptions.JournalPath"/> (created when missing).</summary>
    public Journal(IOptions<AgentOptions> options, ILogger<Journal> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = options.Value.JournalPath;
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
                Write(rewrite, record);
            }

            rewrite.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 4096);
        _writer = Task.Run(WriteLoopAsync);
        LogOpened(_logger, _path, records.Count);
        return records;
    }

    /// <summary>Appends <paramref name="record"/>; completes once it is on disk.</summary>
    public Task AppendAsync(JournalRecord record)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((record, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(Journal)));
        }

        return done.Task;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer?.Wait(TimeSpan.FromSeconds(5));
        _file?.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            try
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    Write(_file!, item.Record);
                    batch.Add(item.Done);
                }

                _file!.Flush(flushToDisk: true);
                batch.ForEach(d => d.TrySetResult());
            }
            catch (IOException e)
            {
                // Nothing of this batch is acknowledged: every waiter fails (its ADD answers an error).
                LogWriteFailed(_logger, _path, e.Message);
                batch.ForEach(d => d.TrySetException(e));
            }
        }
    }

    private static void Write(Stream stream, JournalRecord record)
    {
        var bytes = record.ToByteArray();
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
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
