namespace DistIpam.Server.Security;

/// <summary>
/// Counts the open server streams (watches) per caller, so one identity cannot hold the server's
/// memory and threads with watches (docs/security.md, "Limits"). Shared by every call: a singleton.
/// </summary>
public sealed class StreamLimiter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Takes a slot for <paramref name="caller"/>; false when it already holds <paramref name="limit"/>.</summary>
    public bool TryEnter(string caller, int limit)
    {
        lock (_gate)
        {
            var open = _open.GetValueOrDefault(caller);
            if (open >= limit)
            {
                return false;
            }

            _open[caller] = open + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot taken by <see cref="TryEnter"/>.</summary>
    public void Exit(string caller)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(caller, out var open) && open > 1)
            {
                _open[caller] = open - 1;
            }
            else
            {
                _open.Remove(caller);
            }
        }
    }
}
