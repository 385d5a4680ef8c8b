using Microsoft.Data.Sqlite;

namespace DistIpam.Ctl.Tests;

/// <summary>
/// Plants a crash's leftovers in a stopped embedded server's store: deletes the stored state of a
/// grain, as if the write that made it had never happened.
/// </summary>
public static class StoredState
{
    /// <summary>Deletes the state <paramref name="stateName"/> of the grains whose id contains <paramref name="keyPart"/>; returns the rows deleted.</summary>
    public static int Delete(string dataDir, string stateName, string keyPart)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        // History lives in its own file (HistoryStorage); everything else in the IPAM store.
        var database = Path.Combine(dataDir, stateName.EndsWith("history", StringComparison.Ordinal) ? "distipam-history.db" : "distipam.db");
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state WHERE state_name = $state AND grain_id LIKE $pattern";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$pattern", "%" + keyPart + "%");
        return command.ExecuteNonQuery();
    }
}
