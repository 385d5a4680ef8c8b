namespace DistIpam.Storage.Sqlite.Tests;

/// <summary>A fresh directory per test holding the SQLite file; deleted (with WAL and SHM) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "distipam-sqlite-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);

        // A sub-folder that does not exist yet, so every test also checks that the parent is created.
        FilePath = Path.Combine(Directory, "data", "grains.db");
    }

    public string Directory { get; }

    public string FilePath { get; }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
