namespace DistIpam.Grains.Services;

/// <summary>
/// Finds values (ClusterIPs, NodePorts) whose holder no longer holds them, for a range grain's
/// <c>ReconcileAsync</c>. Time is never trusted alone: a value is freed only when its holder said
/// "not held" twice, the answers at least the grace period apart, and no allocation for that
/// holder was handed out since before the first question (a retried create may be about to record
/// it); the free happens in the same grain turn as the second answer, so nothing interleaves
/// between the last check and the free. Not thread-safe; the grain owns one and serializes passes.
/// </summary>
internal sealed class HeldValueReconciler<TValue>(TimeProvider time, TimeSpan grace)
    where TValue : notnull
{
    // How many holders are asked at once.
    private const int Parallelism = 16;

    private readonly Dictionary<TValue, Suspect> _suspects = [];
    private readonly Dictionary<string, long> _lastHandOut = new(StringComparer.Ordinal);
    private long _tick;

    /// <summary>Call, before any await, on every allocation call for <paramref name="holder"/>.</summary>
    public void HandedOut(string holder) => _lastHandOut[holder] = ++_tick;

    /// <summary>
    /// Asks the holder of each value in <paramref name="held"/> (a snapshot) with
    /// <paramref name="ask"/>, and calls <paramref name="free"/> (which re-checks the current
    /// holder and frees synchronously) for each value that passed both observations.
    /// Returns what <paramref name="free"/> freed.
    /// </summary>
    public async Task<List<(TValue Value, string Holder)>> ReviewAsync(
        IReadOnlyList<(TValue Value, string Holder)> held,
        Func<string, Task<Func<TValue, bool>>> ask,
        Func<TValue, string, bool> free)
    {
        var freed = new List<(TValue, string)>();
        var seen = new HashSet<TValue>();
        foreach (var chunk in held.GroupBy(h => h.Holder, StringComparer.Ordinal).ToList().Chunk(Parallelism))
        {
            // Each holder's decisions run in the continuation of its own answer, in one grain turn.
            await Task.WhenAll(chunk.Select(group => ReviewHolderAsync(group, ask, free, freed, seen)));
        }

        foreach (var gone in _suspects.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _suspects.Remove(gone);
        }

        return freed;
    }

    /// <summary>
    /// The operator's path (a check report already observed it): asks <paramref name="holder"/> now
    /// and calls <paramref name="free"/> in the same turn as the answer, only if the holder does not
    /// hold <paramref name="value"/> and nothing was handed out to it since the question (a create
    /// of the same service may be about to record the value it gets back). A failed question
    /// propagates: unknown is not "not held".
    /// </summary>
    public async Task<bool> FreeIfUnheldAsync(TValue value, string holder, Func<string, Task<Func<TValue, bool>>> ask, Func<TValue, string, bool> free)
    {
        ArgumentNullException.ThrowIfNull(ask);
        ArgumentNullException.ThrowIfNull(free);
        var askedAt = _tick;
        var holds = await ask(holder);
        if (_lastHandOut.GetValueOrDefault(holder) > askedAt || holds(value))
        {
            return false;
        }

        _suspects.Remove(value);
        return free(value, holder);
    }

    private async Task ReviewHolderAsync(
        IGrouping<string, (TValue Value, string Holder)> group,
        Func<string, Task<Func<TValue, bool>>> ask,
        Func<TValue, string, bool> free,
        List<(TValue, string)> freed,
        HashSet<TValue> seen)
    {
        var askedAt = _tick;
        Func<TValue, bool> holds;
        try
        {
            holds = await ask(group.Key);
        }
        catch (Exception)
        {
            // Unknown is not "not held": keep the values, and keep earlier observations as they are.
            seen.UnionWith(group.Select(g => g.Value));
            return;
        }

        var now = time.GetUtcNow();
        var handedOutMeanwhile = _lastHandOut.GetValueOrDefault(group.Key) > askedAt;
        foreach (var (value, holder) in group)
        {
            seen.Add(value);
            if (handedOutMeanwhile || holds(value))
            {
                _suspects.Remove(value);
            }
            else if (_suspects.TryGetValue(value, out var first) && first.Holder == holder
                && _lastHandOut.GetValueOrDefault(holder) <= first.AskedAt)
            {
                if (now - first.Since >= grace)
                {
                    _suspects.Remove(value);
                    if (free(value, holder))
                    {
                        freed.Add((value, holder));
                    }
                }
            }
            else
            {
                _suspects[value] = new Suspect(holder, now, askedAt);
            }
        }
    }

    private sealed record Suspect(string Holder, DateTimeOffset Since, long AskedAt);
}
