namespace DistIpam.Server.Hosting;

/// <summary>
/// Holds an exclusive lock on <c>&lt;DataDir&gt;/distipam.lock</c> for the life of the process, so a
/// second server on the same data directory fails at once instead of corrupting shared state.
/// The kernel drops the lock when the process dies, even on SIGKILL.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>The directory's full path.</summary>
    public required string Directory { get; init; }

    /// <summary>Creates the directory if needed and takes the lock, or throws naming the directory.</summary>
    public static DataDirectoryLock Acquire(string dataDir)
    {
        var full = Path.GetFullPath(dataDir);
        System.IO.Directory.CreateDirectory(full);
        var path = Path.Combine(full, "distipam.lock");
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush();
            return new DataDirectoryLock(stream) { Directory = full };
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"data directory '{full}' is in use by another DistIpam server (lock file {path} is held); "
                + "stop it first or set DistIpam:DataDir to another directory", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
