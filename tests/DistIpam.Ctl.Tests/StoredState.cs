using Microsoft.Data.Sqlite;

namespace DistIpam.Ctl.Tests;

/// <summary>
/// Plants a crash's leftovers in a stopped embedded server's store: deletes the stored state of a
/// grain, as if the write that made it had never happened, or puts back a state read earlier, as if
/// the writes since had been lost.
/// </summary>
public static class StoredState
{
    /// <summary>Deletes the state <paramref name="stateName"/> of the grains whose id contains <paramref name="keyPart"/>; returns the rows deleted.</summary>
    public static int Delete(string dataDir, string stateName, string keyPart)
    {
        using var connection = Open(dataDir, stateName);
        using var command = Command(connection, stateName, keyPart, "DELETE FROM grain_state WHERE state_name = $state AND grain_id LIKE $pattern");
        return command.ExecuteNonQuery();
    }

    /// <summary>
    /// The stored state <paramref name="stateName"/> of the one grain whose id contains
    /// <paramref name="keyPart"/>, with that id. Safe while the server runs: a write is durable before it is answered.
    /// </summary>
    public static (string GrainId, byte[] Payload) Read(string dataDir, string stateName, string keyPart)
    {
        using var connection = Open(dataDir, stateName);
        using var command = Command(connection, stateName, keyPart, "SELECT grain_id, payload FROM grain_state WHERE state_name = $state AND grain_id LIKE $pattern");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read() && !reader.IsDBNull(1), $"expected a stored {stateName} state whose grain id contains '{keyPart}'");
        var row = (reader.GetString(0), (byte[])reader.GetValue(1));
        Assert.False(reader.Read(), $"expected one stored {stateName} state whose grain id contains '{keyPart}', found several");
        return row;
    }

    /// <summary>
    /// Puts a state read by <see cref="Read"/> back, whether its row was changed or deleted since;
    /// the version moves on, as every write's does. Only while the server is stopped: a running
    /// grain would not see it.
    /// </summary>
    public static void Restore(string dataDir, string stateName, (string GrainId, byte[] Payload) row)
    {
        using var connection = Open(dataDir, stateName);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO grain_state (state_name, grain_id, version, payload, updated_at) VALUES ($state, $grain, 1, $payload, $now)
            ON CONFLICT (state_name, grain_id) DO UPDATE SET payload = excluded.payload, version = version + 1, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", row.GrainId);
        command.Parameters.AddWithValue("$payload", row.Payload);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private static SqliteConnection Open(string dataDir, string stateName)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        // History lives in its own file (HistoryStorage); everything else in the IPAM store.
        var database = Path.Combine(dataDir, stateName.EndsWith("history", StringComparison.Ordinal) ? "distipam-history.db" : "distipam.db");
        var connection = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=10");
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string stateName, string keyPart, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$pattern", "%" + keyPart + "%");
        return command;
    }
}
