namespace DistIpam.Storage.Sqlite;

/// <summary>One row of the state table as a reader sees it.</summary>
/// <param name="Version">The row's version, which is its ETag.</param>
/// <param name="Payload">Serialized state, or null for a tombstone left by a clear.</param>
internal sealed record StoredRow(long Version, byte[]? Payload);
