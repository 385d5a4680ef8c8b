using Microsoft.Data.Sqlite;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// The writer's prepared statements. Each guarded statement reports whether it changed exactly one
/// row, so the version check and the write are one statement and cannot be separated by anything.
/// </summary>
internal sealed class SqliteStateCommands : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _selectVersion;

    public SqliteStateCommands(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // ON CONFLICT DO NOTHING: an insert for a key that already has a row (live or tombstone)
        // changes nothing and reports 0 rows, which the caller turns into a conflict.
        _insert = Create(connection, """
            INSERT INTO grain_state (state_name, grain_id, version, payload, updated_at)
            VALUES ($state, $grain, $version, $payload, $now)
            ON CONFLICT (state_name, grain_id) DO NOTHING;
            """, "$state", "$grain", "$version", "$payload", "$now");
        _update = Create(connection, """
            UPDATE grain_state SET version = $version, payload = $payload, updated_at = $now
            WHERE state_name = $state AND grain_id = $grain AND version = $expected;
            """, "$state", "$grain", "$version", "$payload", "$now", "$expected");
        _delete = Create(connection, """
            DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND version = $expected;
            """, "$state", "$grain", "$expected");
        _selectVersion = Create(connection, """
            SELECT version FROM grain_state WHERE state_name = $state AND grain_id = $grain;
            """, "$state", "$grain");
    }

    /// <summary>Makes every statement run inside <paramref name="transaction"/> (Microsoft.Data.Sqlite insists).</summary>
    public void Enlist(SqliteTransaction? transaction)
    {
        _insert.Transaction = transaction;
        _update.Transaction = transaction;
        _delete.Transaction = transaction;
        _selectVersion.Transaction = transaction;
    }

    /// <summary>Inserts the first version of a key; false when the key already has a row.</summary>
    public bool TryInsert(string stateName, string grainId, byte[] payload, long now)
    {
        Bind(_insert, stateName, grainId);
        _insert.Parameters["$version"].Value = VersionETag.First;
        _insert.Parameters["$payload"].Value = payload;
        _insert.Parameters["$now"].Value = now;
        return _insert.ExecuteNonQuery() == 1;
    }

    /// <summary>
    /// Replaces the row if its version is still <paramref name="expected"/>; a null payload leaves a
    /// tombstone. False when the version moved on or the row is gone.
    /// </summary>
    public bool TryUpdate(string stateName, string grainId, long expected, byte[]? payload, long now)
    {
        Bind(_update, stateName, grainId);
        _update.Parameters["$version"].Value = expected + 1;
        _update.Parameters["$payload"].Value = (object?)payload ?? DBNull.Value;
        _update.Parameters["$now"].Value = now;
        _update.Parameters["$expected"].Value = expected;
        return _update.ExecuteNonQuery() == 1;
    }

    /// <summary>Deletes the row if its version is still <paramref name="expected"/>.</summary>
    public bool TryDelete(string stateName, string grainId, long expected)
    {
        Bind(_delete, stateName, grainId);
        _delete.Parameters["$expected"].Value = expected;
        return _delete.ExecuteNonQuery() == 1;
    }

    /// <summary>The stored version, or null when the key has no row; used to explain conflicts.</summary>
    public long? SelectVersion(string stateName, string grainId)
    {
        Bind(_selectVersion, stateName, grainId);
        object? value = _selectVersion.ExecuteScalar();
        return value is long version ? version : null;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
        _delete.Dispose();
        _selectVersion.Dispose();
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private static void Bind(SqliteCommand command, string stateName, string grainId)
    {
        command.Parameters["$state"].Value = stateName;
        command.Parameters["$grain"].Value = grainId;
    }
}
