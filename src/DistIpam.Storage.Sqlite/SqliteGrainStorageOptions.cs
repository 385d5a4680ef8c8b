using Orleans;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// Options for <see cref="SqliteGrainStorage"/>, the embedded grain storage: one SQLite file in WAL mode
/// with <c>synchronous=FULL</c>, so a completed write has been fsynced.
/// </summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The value of <see cref="DataSource"/> when none is configured.</summary>
    public const string DefaultDataSource = "distipam-grains.db";

    /// <summary>The value of <see cref="MaxBatchSize"/> when none is configured.</summary>
    public const int DefaultMaxBatchSize = 256;

    /// <summary>The value of <see cref="BusyTimeout"/> when none is configured.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Path of the SQLite database file. Default <see cref="DefaultDataSource"/>, relative to the current
    /// directory; the server points it into its data directory. A missing parent directory is created.
    /// Two silos must never share one file: the file is the storage of one embedded silo.
    /// </summary>
    public string DataSource { get; set; } = DefaultDataSource;

    /// <summary>
    /// Most writes (from any grains) committed in one transaction, and so with one fsync.
    /// Default <see cref="DefaultMaxBatchSize"/>. Larger batches amortise the fsync further but make
    /// the writes at the head of a batch wait for all the others to be applied.
    /// </summary>
    public int MaxBatchSize { get; set; } = DefaultMaxBatchSize;

    /// <summary>
    /// How long a statement waits for the file's lock (held only by another process, such as a backup
    /// tool, since this provider has one writer) before its batch fails. Default
    /// <see cref="DefaultBusyTimeout"/>; SQLite counts it in whole seconds, at least one.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>
    /// Whether <c>ClearStateAsync</c> deletes the row. Default <see langword="false"/>: the row stays as a
    /// tombstone (no payload, version incremented), so versions of a key never go back to "no row" and a
    /// stale activation that last saw the key empty cannot recreate it. Set it when many grains are
    /// cleared for good and the file should not keep one small row for each of them.
    /// </summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>
    /// Silo lifecycle stage at which the file is opened (and at whose stop the writer drains and closes).
    /// Default <see cref="ServiceLifecycleStage.ApplicationServices"/>: before grains activate, and
    /// stopped only after grains have deactivated and written their last state.
    /// </summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>
    /// Test use only (the chaos suite's embedded mode): every Nth transaction that commits is reported
    /// to its writers as failed, as when the process cannot learn whether its commit reached the disk.
    /// The grains must then treat the outcome as unknown (docs/architecture.md, rule 3). Default 0: off.
    /// When set, the provider says so once, loudly, when it opens the file.
    /// </summary>
    public int UnsafeLoseCommitReplyEvery { get; set; }

    /// <summary>
    /// Serializer of the stored payloads. When left unset, registration sets Orleans' binary serializer
    /// (<see cref="OrleansGrainStorageSerializer"/>), so state uses <c>[GenerateSerializer]</c> types with
    /// explicit <c>[Id]</c>s and stored data never carries CLR type names.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
