using System.Diagnostics.Metrics;

using Microsoft.Extensions.Logging;

using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// Orleans grain storage on one SQLite file: ETag-checked (optimistic concurrency) reads, writes and
/// clears, with writes from all grains group-committed (one transaction and one fsync per batch).
/// </summary>
/// <remarks>
/// <para>A write completes only after its transaction committed with <c>synchronous=FULL</c>; the new
/// ETag is set on the state only then. A stale ETag fails with <see cref="InconsistentStateException"/>
/// and changes nothing. Any other failure throws an <see cref="OrleansException"/> whose outcome is
/// unknown: the grain must re-read (deactivate) before serving again.</para>
/// <para>The file is opened at the silo lifecycle stage <see cref="SqliteGrainStorageOptions.InitStage"/>
/// (or on first use), and at that stage's stop the writer commits everything queued and closes.</para>
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable, IDisposable
{
    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger _logger;
    private readonly SqliteGrainStorageInstruments _instruments;
    private readonly GroupCommitWriter _writer;
    private readonly string _readerConnectionString;
    private readonly Lock _gate = new();
    private bool _started;
    private bool _stopped;

    /// <summary>Creates the provider; the file is opened when the silo starts or on first use.</summary>
    /// <param name="name">Provider name, as in <c>[PersistentState(stateName, name)]</c>.</param>
    /// <param name="options">Validated options; <see cref="SqliteGrainStorageOptions.GrainStorageSerializer"/> must be set.</param>
    /// <param name="activatorProvider">Creates the empty state of a grain with no stored row.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="meterFactory">Creates the meter of the counters; null makes a private meter.</param>
    /// <param name="timeProvider">Clock of the <c>updated_at</c> column; null means the system clock.</param>
    public SqliteGrainStorage(
        string name,
        SqliteGrainStorageOptions options,
        IActivatorProvider activatorProvider,
        ILogger<SqliteGrainStorage> logger,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        ArgumentNullException.ThrowIfNull(logger);
        if (SqliteGrainStorageOptionsValidator.Describe(options) is { } problem)
        {
            throw new ArgumentException($"SQLite grain storage '{name}': {problem}", nameof(options));
        }

        _name = name;
        _options = options;
        _serializer = options.GrainStorageSerializer
            ?? throw new ArgumentException($"SQLite grain storage '{name}' has no {nameof(options.GrainStorageSerializer)}.", nameof(options));
        _activatorProvider = activatorProvider;
        _logger = logger;
        _instruments = new SqliteGrainStorageInstruments(name, meterFactory);
        _writer = new GroupCommitWriter(name, options, _instruments, logger, timeProvider ?? TimeProvider.System);
        _readerConnectionString = SqliteDatabase.ReaderConnectionString(options);
    }

    /// <summary>Name of this provider.</summary>
    public string Name => _name;

    /// <summary>Full path of the SQLite file.</summary>
    public string DataSource => Path.GetFullPath(_options.DataSource);

    /// <summary>Writes and clears committed since this instance started.</summary>
    public long WritesCommitted => _instruments.WritesCommitted;

    /// <summary>Transactions (fsyncs) committed; compare with <see cref="WritesCommitted"/> for the batching factor.</summary>
    public long TransactionsCommitted => _instruments.TransactionsCommitted;

    /// <summary>Writes and clears rejected for a stale ETag.</summary>
    public long WriteConflicts => _instruments.Conflicts;

    /// <summary>Transactions that failed (each failed all of its undecided writes).</summary>
    public long FailedTransactions => _instruments.FailedTransactions;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(
            OptionFormattingUtilities.Name<SqliteGrainStorage>(_name),
            _options.InitStage,
            _ =>
            {
                EnsureStarted();
                return Task.CompletedTask;
            },
            StopAsync);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        try
        {
            EnsureStarted();
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }

        // Microsoft.Data.Sqlite does its I/O synchronously; a primary-key read from a pooled
        // connection is short, so it runs inline instead of paying for a thread hop.
        string key = grainId.ToString();
        try
        {
            StoredRow? row = SqliteDatabase.Read(_readerConnectionString, stateName, key);
            T? state = row?.Payload is { } payload ? _serializer.Deserialize<T>(new BinaryData(payload)) : default;
            grainState.State = state ?? CreateEmpty<T>();
            grainState.ETag = VersionETag.Format(row?.Version);
            grainState.RecordExists = state is not null;
            return Task.CompletedTask;
        }
        catch (Exception exception)
        {
            _logger.ReadFailed(exception, _name, stateName, key);
            return Task.FromException(new OrleansException(
                $"SQLite grain storage '{_name}' failed to read {stateName} for {key} from {DataSource}: {exception.Message}",
                exception));
        }
    }

    /// <summary>
    /// The stored grain ids ("type/key") of <paramref name="stateName"/> whose grain type is
    /// <paramref name="grainType"/>: the server's consistency check finds records no block points to.
    /// </summary>
    public Task<List<string>> ListGrainIdsAsync(string stateName, string grainType)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainType);
        EnsureStarted();

        // A scan may be long: off the caller's (grain or request) thread.
        return Task.Run(() => SqliteDatabase.ListGrainIds(_readerConnectionString, stateName, grainType));
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="cancellationToken"/> is honoured until the write enters a transaction; after that
    /// the caller gets the real outcome, because a write that may be on disk cannot be cancelled.
    /// </remarks>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureStarted();

        // Serialize now, on the caller's turn: a reentrant grain may change the state while the write
        // waits for its batch, and the bytes must be the state as of this call.
        byte[] payload = _serializer.Serialize(grainState.State).ToArray();
        var write = new PendingWrite(PendingWriteKind.Upsert, stateName, grainId.ToString(), grainState.ETag, payload, cancellationToken);

        // No ConfigureAwait(false): the ETag is set back on the grain's own scheduler.
        string? newETag = await _writer.EnqueueAsync(write);
        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <remarks>
    /// Leaves a tombstone whose version is the new ETag, or deletes the row when
    /// <see cref="SqliteGrainStorageOptions.DeleteStateOnClear"/> is set (new ETag null). Clearing a key
    /// that has no row, with a null ETag, succeeds without writing.
    /// </remarks>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureStarted();

        var write = new PendingWrite(PendingWriteKind.Clear, stateName, grainId.ToString(), grainState.ETag, payload: null, cancellationToken);
        string? newETag = await _writer.EnqueueAsync(write);
        grainState.ETag = newETag;
        grainState.RecordExists = false;
        grainState.State = CreateEmpty<T>();
    }

    /// <summary>Commits everything queued, closes the file and refuses further use.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        await _writer.StopAsync(cancellationToken).ConfigureAwait(false);
        _writer.Dispose();
        SqliteDatabase.ReleaseReaders(_readerConnectionString);
        _logger.Stopped(_name, WritesCommitted, TransactionsCommitted);
        _instruments.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <inheritdoc />
    public void Dispose() => StopAsync(CancellationToken.None).GetAwaiter().GetResult();

    private void EnsureStarted()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopped, this);
            if (_started)
            {
                return;
            }

            _writer.Start();
            _started = true;
        }

        _logger.Opened(_name, DataSource, _options.MaxBatchSize);
        if (_options.UnsafeLoseCommitReplyEvery > 0)
        {
            _logger.LosingCommitReplies(_name, _options.UnsafeLoseCommitReplyEvery);
        }
    }

    private T CreateEmpty<T>() => _activatorProvider.GetActivator<T>().Create();
}
