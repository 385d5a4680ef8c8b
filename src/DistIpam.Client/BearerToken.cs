namespace DistIpam.Client;

/// <summary>
/// The token of a token file, re-read when the file's modification time changes (projected
/// service-account tokens are rotated in place). Thread-safe: the cache is one immutable snapshot.
/// </summary>
internal sealed class BearerToken(string path)
{
    private Snapshot? _current;

    /// <summary>The header value, <c>Bearer &lt;token&gt;</c>; <see cref="IOException"/> naming the file when it cannot be read or is empty.</summary>
    public string HeaderValue()
    {
        var stamp = File.GetLastWriteTimeUtc(path);
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Stamp == stamp)
        {
            return current.Header;
        }

        string token;
        try
        {
            token = File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read token file {path}: {e.Message}", e);
        }

        if (token.Length == 0)
        {
            throw new IOException($"token file {path} is empty");
        }

        var next = new Snapshot(stamp, "Bearer " + token);
        Volatile.Write(ref _current, next);
        return next.Header;
    }

    private sealed record Snapshot(DateTime Stamp, string Header);
}
