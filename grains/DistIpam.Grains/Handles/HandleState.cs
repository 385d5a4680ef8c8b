namespace DistIpam.Grains.Handles;

/// <summary>The stored state of a handle grain. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class HandleState
{
    /// <summary>What the handle holds; null = nothing.</summary>
    [Id(0)] public HandleRecord? Record { get; set; }

    /// <summary>
    /// Counts the writes of this state. A fence write (before releasing what the record does not
    /// hold) bumps it so the write changes the stored version even when nothing else changes.
    /// </summary>
    [Id(1)] public ulong Generation { get; set; }

    /// <summary>A move into this handle that has not finished; null = none.</summary>
    [Id(2)] public PendingMove? Move { get; set; }
}
