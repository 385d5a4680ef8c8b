using System.Globalization;

namespace DistIpam.Testing;

/// <summary>
/// The server's stdout and stderr, appended line by line to one file across restarts, with the last
/// lines of the current run kept in memory for failure messages.
/// </summary>
public sealed class ProcessLog : IDisposable
{
    private const int TailCapacity = 500;
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly Queue<string> _tail = new();
    private bool _disposed;

    /// <summary>Opens (appends to) <paramref name="path"/>.</summary>
    public ProcessLog(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>Starts a new run: writes a header and forgets the previous run's tail.</summary>
    public void BeginRun(string header)
    {
        lock (_gate)
        {
            _tail.Clear();
            WriteLocked($"==== {header}");
        }
    }

    /// <summary>Appends one line of <paramref name="stream"/> ("out" or "err").</summary>
    public void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {stream} {line}");
        lock (_gate)
        {
            _tail.Enqueue(text);
            while (_tail.Count > TailCapacity)
            {
                _tail.Dequeue();
            }

            WriteLocked(text);
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of the current run.</summary>
    public string Tail(int lines = 60)
    {
        lock (_gate)
        {
            return string.Join('\n', _tail.Skip(Math.Max(0, _tail.Count - lines)));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    private void WriteLocked(string text)
    {
        if (!_disposed)
        {
            _writer.WriteLine(text);
        }
    }
}
