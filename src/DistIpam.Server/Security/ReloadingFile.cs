namespace DistIpam.Server.Security;

/// <summary>
/// A value loaded from files and loaded again when one of them changes (modification time or
/// size), checked at most once per <see cref="CheckInterval"/>: certificate and token rotation
/// without a restart. The value is an immutable snapshot swapped by reference; a reload that fails
/// (a half-written file) keeps serving the previous value and reports the failure.
/// </summary>
/// <typeparam name="T">The loaded value.</typeparam>
public sealed class ReloadingFile<T>
    where T : class
{
    /// <summary>How often the files' time stamps are compared.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);

    private readonly string[] _paths;
    private readonly Func<T> _load;
    private readonly Action<Exception>? _reloadFailed;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Snapshot _current;

    /// <summary>Loads the value now; a failure here throws (a start-up error).</summary>
    public ReloadingFile(IReadOnlyList<string> paths, Func<T> load, Action<Exception>? reloadFailed = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = [.. paths];
        _load = load;
        _reloadFailed = reloadFailed;
        _time = time ?? TimeProvider.System;
        var stamps = Stamps();
        _current = new Snapshot(load(), stamps, _time.GetTimestamp());
    }

    /// <summary>The value of the files as last loaded successfully.</summary>
    public T Current
    {
        get
        {
            var snapshot = Volatile.Read(ref _current);
            if (_time.GetElapsedTime(snapshot.Checked) < CheckInterval)
            {
                return snapshot.Value;
            }

            lock (_gate)
            {
                snapshot = _current;
                if (_time.GetElapsedTime(snapshot.Checked) < CheckInterval)
                {
                    return snapshot.Value;
                }

                var stamps = Stamps();
                var next = snapshot with { Checked = _time.GetTimestamp() };
                if (!stamps.SequenceEqual(snapshot.Stamps))
                {
                    try
                    {
                        next = new Snapshot(_load(), stamps, next.Checked);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or FormatException or InvalidOperationException or ArgumentException)
                    {
                        // Stamps are kept as they were, so the next check tries again.
                        _reloadFailed?.Invoke(e);
                    }
                }

                Volatile.Write(ref _current, next);
                return next.Value;
            }
        }
    }

    private (DateTime, long)[] Stamps() =>
        [.. _paths.Select(p => File.Exists(p) ? (File.GetLastWriteTimeUtc(p), new FileInfo(p).Length) : (DateTime.MinValue, -1L))];

    private sealed record Snapshot(T Value, (DateTime, long)[] Stamps, long Checked);
}
