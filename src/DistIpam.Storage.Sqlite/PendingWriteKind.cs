namespace DistIpam.Storage.Sqlite;

/// <summary>What a queued write does to its row.</summary>
internal enum PendingWriteKind
{
    /// <summary>Insert or replace the payload (<c>WriteStateAsync</c>).</summary>
    Upsert,

    /// <summary>Tombstone or delete the row (<c>ClearStateAsync</c>).</summary>
    Clear,
}
