using System.Globalization;

using Microsoft.Data.Sqlite;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// The file, its settings and its one table. Every statement that touches the schema lives here so the
/// layout can be read in one place.
/// </summary>
internal static class SqliteDatabase
{
    /// <summary>Bumped when the table changes; a file from a newer build is refused, not misread.</summary>
    public const int SchemaVersion = 1;

    // WITHOUT ROWID: the primary key is the only access path, so the row lives in the key's b-tree.
    // payload NULL is a tombstone (cleared state whose version must not go back to "no row").
    private const string CreateTableSql = """
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name TEXT    NOT NULL,
            grain_id   TEXT    NOT NULL,
            version    INTEGER NOT NULL,
            payload    BLOB,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        ) WITHOUT ROWID;
        """;

    private const string ReadSql =
        "SELECT version, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain;";

    /// <summary>The connection string of the single writer: never pooled, so closing it closes the file.</summary>
    public static string WriterConnectionString(SqliteGrainStorageOptions options) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(options.DataSource),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = BusyTimeoutSeconds(options),
    }.ToString();

    /// <summary>
    /// The connection string of readers: pooled, because each read opens and closes a connection so
    /// reads from many grains run in parallel (WAL lets them read while the writer commits).
    /// </summary>
    public static string ReaderConnectionString(SqliteGrainStorageOptions options) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(options.DataSource),
        Mode = SqliteOpenMode.ReadWrite,
        Pooling = true,
        DefaultTimeout = BusyTimeoutSeconds(options),
    }.ToString();

    /// <summary>
    /// Opens the writer: creates the directory and file, switches to WAL with <c>synchronous=FULL</c>
    /// (a commit returns only after the WAL is fsynced) and creates the table if missing.
    /// </summary>
    /// <returns>The open connection and the journal mode SQLite reports.</returns>
    public static SqliteConnection OpenWriter(SqliteGrainStorageOptions options)
    {
        string dataSource = options.DataSource;
        string? directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(WriterConnectionString(options));
        try
        {
            connection.Open();

            // journal_mode answers with the mode in force; a file system without shared memory keeps
            // the old mode, and then readers would block the writer, so refuse instead of running slow.
            string? mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite file {dataSource} refused WAL journal mode (mode is '{mode}').");
            }

            // synchronous is per connection; only the writer commits, so only it needs FULL.
            Execute(connection, "PRAGMA synchronous=FULL;");
            EnsureSchema(connection, dataSource);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Reads one row through a pooled reader connection; null when the key has no row.</summary>
    public static StoredRow? Read(string readerConnectionString, string stateName, string grainId)
    {
        using var connection = new SqliteConnection(readerConnectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = ReadSql;
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$grain", grainId);
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        long version = reader.GetInt64(0);
        byte[]? payload = reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1);
        return new StoredRow(version, payload);
    }

    /// <summary>
    /// The grain ids of <paramref name="stateName"/> whose grain type is <paramref name="grainType"/>
    /// (ids "type/key"), read through a pooled reader: a range of the primary key, so it costs what it returns.
    /// </summary>
    public static List<string> ListGrainIds(string readerConnectionString, string stateName, string grainType)
    {
        using var connection = new SqliteConnection(readerConnectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();

        // '0' follows '/' in every collation SQLite uses for TEXT (BINARY by default).
        command.CommandText = "SELECT grain_id FROM grain_state WHERE state_name = $state AND grain_id >= $from AND grain_id < $to;";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$from", grainType + "/");
        command.Parameters.AddWithValue("$to", grainType + "0");
        using SqliteDataReader reader = command.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Closes the idle pooled reader connections so the file is released.</summary>
    public static void ReleaseReaders(string readerConnectionString)
    {
        using var connection = new SqliteConnection(readerConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    // Microsoft.Data.Sqlite retries a busy statement until its command timeout, in whole seconds.
    private static int BusyTimeoutSeconds(SqliteGrainStorageOptions options)
        => (int)Math.Clamp(Math.Ceiling(options.BusyTimeout.TotalSeconds), 1, int.MaxValue);

    private static void EnsureSchema(SqliteConnection connection, string dataSource)
    {
        using SqliteTransaction transaction = connection.BeginTransaction();
        long found = Convert.ToInt64(Scalar(connection, "PRAGMA user_version;", transaction), CultureInfo.InvariantCulture);
        if (found > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"SQLite file {dataSource} has schema version {found}; this build knows up to {SchemaVersion}.");
        }

        Execute(connection, CreateTableSql, transaction);
        Execute(connection, $"PRAGMA user_version={SchemaVersion.ToString(CultureInfo.InvariantCulture)};", transaction);
        transaction.Commit();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
