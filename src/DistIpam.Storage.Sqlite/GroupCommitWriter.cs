using System.Diagnostics;
using System.Threading.Channels;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// The only writer of the file. Callers enqueue; one loop takes everything queued (up to the batch
/// size), applies it in one transaction and commits once, so concurrent writes from many grains share
/// one fsync. While one batch commits, the next accumulates.
/// </summary>
/// <remarks>
/// Each write is checked and applied by one guarded statement (<c>... WHERE version = @expected</c>)
/// inside the batch's transaction, so a stale ETag fails only its own write, and two writes to one key
/// in one batch are checked in the order they were queued (the second sees the first's version). An
/// error from SQLite itself aborts the whole transaction and fails every write in it that was not
/// already decided as a conflict: a poisoned write costs its batch-mates one retry, never a false ack.
/// </remarks>
internal sealed class GroupCommitWriter : IDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly string _providerName;
    private readonly SqliteGrainStorageOptions _options;
    private readonly SqliteGrainStorageInstruments _instruments;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private SqliteConnection? _connection;
    private SqliteStateCommands? _commands;
    private Task? _loop;
    private long _commits;

    public GroupCommitWriter(
        string providerName,
        SqliteGrainStorageOptions options,
        SqliteGrainStorageInstruments instruments,
        ILogger logger,
        TimeProvider timeProvider)
    {
        _providerName = providerName;
        _options = options;
        _instruments = instruments;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Opens the file (creating table and directory) on the calling thread, so a file that cannot be
    /// opened fails the silo's start instead of the first write, then starts the loop.
    /// </summary>
    public void Start()
    {
        Open();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a write; the task completes with the new ETag once the write is durable.</summary>
    /// <exception cref="ObjectDisposedException">The writer has stopped.</exception>
    public Task<string?> EnqueueAsync(PendingWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            write.Reject(new ObjectDisposedException(
                nameof(SqliteGrainStorage), $"SQLite grain storage '{_providerName}' has stopped and takes no more writes."));
        }

        return write.Completion;
    }

    /// <summary>
    /// Stops taking writes, commits everything already queued and closes the file. When
    /// <paramref name="cancellationToken"/> fires first, the loop still drains in the background and
    /// closes the file itself; the caller just stops waiting.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            return;
        }

        try
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.StopAbandoned(_providerName);
        }
    }

    /// <summary>
    /// Stops taking writes without waiting. The loop, when running, closes the file itself after it
    /// drained; only a writer whose loop never started has a connection to close here.
    /// </summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            Close();
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out PendingWrite? write))
                {
                    batch.Add(write);
                }

                CommitBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            // Only a bug can end the loop early; then nobody would ever complete what is queued.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out PendingWrite? orphan))
            {
                orphan.Reject(new ObjectDisposedException(
                    nameof(SqliteGrainStorage), $"SQLite grain storage '{_providerName}' stopped before this write was committed."));
            }

            Close();
        }
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        long started = Stopwatch.GetTimestamp();
        int applied = 0;
        int conflicts = 0;
        try
        {
            if (_connection is null || _commands is null)
            {
                Open();
            }

            // BeginTransaction() is BEGIN IMMEDIATE: the write lock is taken before the first check,
            // so even a second process on the same file could not slip in between check and commit.
            using SqliteTransaction transaction = _connection!.BeginTransaction();
            _commands!.Enlist(transaction);
            long now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (PendingWrite write in batch)
            {
                Apply(write, now);
                applied += write.IsApplied ? 1 : 0;
                conflicts += write.IsConflict ? 1 : 0;
            }

            transaction.Commit();
            _commands.Enlist(null);
            if (_options.UnsafeLoseCommitReplyEvery > 0 && ++_commits % _options.UnsafeLoseCommitReplyEvery == 0)
            {
                // What SQLite reports when the fsync of a commit fails (SQLITE_IOERR_FSYNC).
                throw new SqliteException("injected: disk I/O error on fsync; the commit's outcome is unknown to its writers (UnsafeLoseCommitReplyEvery), it is on disk", 10, 10 | (4 << 8));
            }
        }
        catch (Exception exception)
        {
            // The outcome of a failed commit is unknown, and the connection may be unusable: report
            // every undecided write as failed and start the next batch on a fresh connection.
            _instruments.OnFailed();
            _logger.BatchFailed(exception, _providerName, batch.Count);
            Close();
            foreach (PendingWrite write in batch)
            {
                write.Fail(_providerName, batch.Count, exception);
            }

            return;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        _instruments.OnCommitted(batch.Count, applied, conflicts, elapsed);
        _logger.BatchCommitted(_providerName, applied, batch.Count, conflicts, elapsed.TotalMilliseconds);
        foreach (PendingWrite write in batch)
        {
            if (write.IsConflict)
            {
                _logger.WriteConflict(_providerName, write.StateName, write.GrainId, write.StoredETag, write.ExpectedETag);
            }

            write.Publish(_providerName);
        }
    }

    private void Apply(PendingWrite write, long now)
    {
        SqliteStateCommands commands = _commands!;
        if (write.CancellationToken.IsCancellationRequested)
        {
            // Not yet written, so cancelling is still exact: the row is untouched.
            write.StageCanceled();
            return;
        }

        string? expectedETag = write.ExpectedETag;
        long expected = 0;
        bool done;
        string? newETag;
        if (expectedETag is not null && !VersionETag.TryParse(expectedETag, out expected))
        {
            done = false;
            newETag = null;
        }
        else if (write.Kind == PendingWriteKind.Upsert)
        {
            done = expectedETag is null
                ? commands.TryInsert(write.StateName, write.GrainId, write.Payload!, now)
                : commands.TryUpdate(write.StateName, write.GrainId, expected, write.Payload!, now);
            newETag = VersionETag.Format(expectedETag is null ? VersionETag.First : expected + 1);
        }
        else if (expectedETag is null)
        {
            // Clearing what the caller saw as absent: fine while it is still absent, nothing to write.
            done = commands.SelectVersion(write.StateName, write.GrainId) is null;
            newETag = null;
        }
        else if (_options.DeleteStateOnClear)
        {
            done = commands.TryDelete(write.StateName, write.GrainId, expected);
            newETag = null;
        }
        else
        {
            done = commands.TryUpdate(write.StateName, write.GrainId, expected, payload: null, now);
            newETag = VersionETag.Format(expected + 1);
        }

        if (done)
        {
            write.StageApplied(newETag);
        }
        else
        {
            write.StageConflict(VersionETag.Format(commands.SelectVersion(write.StateName, write.GrainId)));
        }
    }

    private void Open()
    {
        _connection = SqliteDatabase.OpenWriter(_options);
        _commands = new SqliteStateCommands(_connection);
    }

    private void Close()
    {
        try
        {
            _commands?.Dispose();
            _connection?.Dispose();
        }
        catch (Exception exception) when (exception is SqliteException or InvalidOperationException)
        {
            _logger.CloseFailed(exception, _providerName);
        }
        finally
        {
            _commands = null;
            _connection = null;
        }
    }
}
