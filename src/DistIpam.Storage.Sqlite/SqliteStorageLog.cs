using Microsoft.Extensions.Logging;

namespace DistIpam.Storage.Sqlite;

/// <summary>Source-generated log messages of the SQLite storage, with stable event ids (3100-3199).</summary>
internal static partial class SqliteStorageLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information,
        Message = "SQLite grain storage {Provider} opened {DataSource} (journal WAL, synchronous FULL, batches up to {MaxBatchSize})")]
    public static partial void Opened(this ILogger logger, string provider, string dataSource, int maxBatchSize);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Trace,
        Message = "SQLite grain storage {Provider} committed {Applied} of {BatchSize} writes ({Conflicts} conflicts) in {ElapsedMs} ms")]
    public static partial void BatchCommitted(this ILogger logger, string provider, int applied, int batchSize, int conflicts, double elapsedMs);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error,
        Message = "SQLite grain storage {Provider} failed a transaction of {BatchSize} writes; all of them were reported as failed")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, string provider, int batchSize);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning,
        Message = "SQLite grain storage {Provider}: stale write of {StateName} for {GrainId} rejected (stored ETag {StoredETag}, caller's ETag {CurrentETag})")]
    public static partial void WriteConflict(this ILogger logger, string provider, string stateName, string grainId, string? storedETag, string? currentETag);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error,
        Message = "SQLite grain storage {Provider} failed to read {StateName} for {GrainId}")]
    public static partial void ReadFailed(this ILogger logger, Exception exception, string provider, string stateName, string grainId);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information,
        Message = "SQLite grain storage {Provider} stopped after {Writes} writes in {Transactions} transactions")]
    public static partial void Stopped(this ILogger logger, string provider, long writes, long transactions);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning,
        Message = "SQLite grain storage {Provider} was told to stop before its queued writes were committed; they finish in the background")]
    public static partial void StopAbandoned(this ILogger logger, string provider);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Error,
        Message = "SQLite grain storage {Provider} could not close its writer connection")]
    public static partial void CloseFailed(this ILogger logger, Exception exception, string provider);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning,
        Message = "UNSAFE: SQLite grain storage {Provider} reports every {Every}th committed transaction as failed (UnsafeLoseCommitReplyEvery). Test use only.")]
    public static partial void LosingCommitReplies(this ILogger logger, string provider, int every);
}
