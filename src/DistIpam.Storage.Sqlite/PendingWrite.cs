using Orleans.Runtime;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// One caller's write waiting for the group-commit loop. The loop stages an outcome while it runs the
/// transaction and publishes it only after the commit (or the rollback), so no caller ever sees a
/// success that did not reach the disk.
/// </summary>
internal sealed class PendingWrite
{
    // Continuations run asynchronously so the writer loop never executes caller code inline.
    private readonly TaskCompletionSource<string?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Outcome _outcome;
    private string? _newETag;

    public PendingWrite(
        PendingWriteKind kind,
        string stateName,
        string grainId,
        string? expectedETag,
        byte[]? payload,
        CancellationToken cancellationToken)
    {
        Kind = kind;
        StateName = stateName;
        GrainId = grainId;
        ExpectedETag = expectedETag;
        Payload = payload;
        CancellationToken = cancellationToken;
    }

    private enum Outcome
    {
        None,
        Applied,
        Conflict,
        Canceled,
    }

    public PendingWriteKind Kind { get; }

    public string StateName { get; }

    public string GrainId { get; }

    /// <summary>The ETag the caller last saw; null means "I saw no row".</summary>
    public string? ExpectedETag { get; }

    /// <summary>Serialized state; null for <see cref="PendingWriteKind.Clear"/>.</summary>
    public byte[]? Payload { get; }

    /// <summary>Honoured only until the write enters a transaction: after that its outcome is reported.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Completes with the new ETag (null when the row was deleted) once the write is durable.</summary>
    public Task<string?> Completion => _completion.Task;

    /// <summary>The ETag found in storage when the write was rejected as a conflict.</summary>
    public string? StoredETag { get; private set; }

    public bool IsApplied => _outcome == Outcome.Applied;

    public bool IsConflict => _outcome == Outcome.Conflict;

    public void StageApplied(string? newETag)
    {
        _outcome = Outcome.Applied;
        _newETag = newETag;
    }

    public void StageConflict(string? storedETag)
    {
        _outcome = Outcome.Conflict;
        StoredETag = storedETag;
    }

    public void StageCanceled() => _outcome = Outcome.Canceled;

    /// <summary>Reports the staged outcome; called after the transaction committed.</summary>
    public void Publish(string providerName)
    {
        switch (_outcome)
        {
            case Outcome.Applied:
                _completion.TrySetResult(_newETag);
                break;
            case Outcome.Conflict:
                _completion.TrySetException(CreateConflict(providerName));
                break;
            case Outcome.Canceled:
                _completion.TrySetCanceled(CancellationToken);
                break;
            default:
                _completion.TrySetException(new InvalidOperationException(
                    $"SQLite grain storage '{providerName}' committed a batch without deciding the write of {StateName} for {GrainId}."));
                break;
        }
    }

    /// <summary>
    /// Reports a failed transaction. Conflicts and cancellations were decided without writing and stay
    /// as they were; every other write fails, because nothing it did is known to be on disk.
    /// </summary>
    public void Fail(string providerName, int batchSize, Exception error)
    {
        if (_outcome is Outcome.Conflict or Outcome.Canceled)
        {
            Publish(providerName);
            return;
        }

        _completion.TrySetException(new OrleansException(
            $"SQLite grain storage '{providerName}' failed to commit the {Kind} of {StateName} for {GrainId} "
            + $"(one of {batchSize} writes in the transaction): {error.Message}. The write may or may not be on disk: "
            + "re-read the state before using it again.",
            error));
    }

    /// <summary>Fails a write that reached the queue after the storage stopped.</summary>
    public void Reject(Exception error) => _completion.TrySetException(error);

    private InconsistentStateException CreateConflict(string providerName)
    {
        string operation = Kind == PendingWriteKind.Upsert ? "WriteStateAsync" : "ClearStateAsync";
        return new InconsistentStateException(
            $"Version conflict ({operation}) in SQLite grain storage '{providerName}' for state {StateName} of grain {GrainId}: "
            + $"stored ETag {StoredETag ?? "<none>"}, caller's ETag {ExpectedETag ?? "<none>"}.",
            StoredETag,
            ExpectedETag);
    }
}
