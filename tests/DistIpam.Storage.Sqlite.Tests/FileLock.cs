using Microsoft.Data.Sqlite;

namespace DistIpam.Storage.Sqlite.Tests;

/// <summary>
/// Holds the SQLite write lock from a second connection, as another process would, so a test can
/// make the storage's writer wait (writes pile up into one batch) or time out (the batch fails).
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    public FileLock(string filePath)
    {
        _connection = new SqliteConnection($"Data Source={filePath};Pooling=False");
        _connection.Open();

        // BeginTransaction() is BEGIN IMMEDIATE: takes the write lock now, before any statement.
        _transaction = _connection.BeginTransaction();
    }

    public void Dispose()
    {
        _transaction.Dispose();
        _connection.Dispose();
    }
}
