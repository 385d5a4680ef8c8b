using System.Diagnostics.Metrics;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// Counters of one storage provider, kept as plain numbers (for tests and health pages) and published
/// through <see cref="System.Diagnostics.Metrics"/> under <see cref="MeterName"/> with a
/// <c>provider</c> tag (for <c>/metrics</c>).
/// </summary>
internal sealed class SqliteGrainStorageInstruments : IDisposable
{
    /// <summary>Name of the meter that carries the storage instruments.</summary>
    public const string MeterName = "DistIpam.Storage.Sqlite";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _providerTag;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private long _writesCommitted;
    private long _transactionsCommitted;
    private long _conflicts;
    private long _failedTransactions;

    public SqliteGrainStorageInstruments(string providerName, IMeterFactory? meterFactory)
    {
        // A meter from the host's factory is disposed with the host; one made here is ours to dispose.
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _providerTag = new KeyValuePair<string, object?>("provider", providerName);

        _meter.CreateObservableCounter(
            "distipam.storage.sqlite.writes",
            () => new Measurement<long>(WritesCommitted, _providerTag),
            unit: "{write}",
            description: "Writes and clears committed to the SQLite file.");
        _meter.CreateObservableCounter(
            "distipam.storage.sqlite.transactions",
            () => new Measurement<long>(TransactionsCommitted, _providerTag),
            unit: "{transaction}",
            description: "Transactions (each one fsync) committed; writes / transactions is the group-commit factor.");
        _meter.CreateObservableCounter(
            "distipam.storage.sqlite.conflicts",
            () => new Measurement<long>(Conflicts, _providerTag),
            unit: "{write}",
            description: "Writes rejected because the caller's ETag was stale.");
        _meter.CreateObservableCounter(
            "distipam.storage.sqlite.failed_transactions",
            () => new Measurement<long>(FailedTransactions, _providerTag),
            unit: "{transaction}",
            description: "Transactions that failed; every write in them was reported as failed.");
        _batchSize = _meter.CreateHistogram<int>(
            "distipam.storage.sqlite.batch_size", unit: "{write}", description: "Writes per transaction.");
        _commitDuration = _meter.CreateHistogram<double>(
            "distipam.storage.sqlite.transaction_duration", unit: "s", description: "Time to apply and commit one batch.");
    }

    public long WritesCommitted => Interlocked.Read(ref _writesCommitted);

    public long TransactionsCommitted => Interlocked.Read(ref _transactionsCommitted);

    public long Conflicts => Interlocked.Read(ref _conflicts);

    public long FailedTransactions => Interlocked.Read(ref _failedTransactions);

    public void OnCommitted(int batchSize, int applied, int conflicts, TimeSpan elapsed)
    {
        Interlocked.Add(ref _writesCommitted, applied);
        Interlocked.Add(ref _conflicts, conflicts);
        Interlocked.Increment(ref _transactionsCommitted);
        _batchSize.Record(batchSize, _providerTag);
        _commitDuration.Record(elapsed.TotalSeconds, _providerTag);
    }

    public void OnFailed() => Interlocked.Increment(ref _failedTransactions);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
