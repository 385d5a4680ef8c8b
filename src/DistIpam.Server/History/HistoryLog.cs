namespace DistIpam.Server.History;

/// <summary>
/// The bounded list both history grains keep (one rule, one place): appends skip facts already
/// recorded, then events past the retention time or the count bound are dropped, oldest first.
/// </summary>
[GenerateSerializer]
public sealed class HistoryLog
{
    /// <summary>Oldest first. Id never reused or renumbered.</summary>
    [Id(0)] public List<HistoryEvent> Events { get; set; } = [];

    /// <summary>Appends what is new; returns whether anything changed and what was dropped.</summary>
    public (bool Changed, IReadOnlyList<HistoryEvent> Dropped) Append(IEnumerable<HistoryEvent> events, long nowUnixMs, TimeSpan retention, int maxEvents)
    {
        ArgumentNullException.ThrowIfNull(events);
        var changed = false;
        foreach (var change in events)
        {
            if (!Events.Any(e => e.SameFactAs(change)))
            {
                Events.Add(change);
                changed = true;
            }
        }

        var dropped = Trim(nowUnixMs, retention, maxEvents);
        return (changed || dropped.Count > 0, dropped);
    }

    /// <summary>Drops events past the bounds; returns them.</summary>
    public IReadOnlyList<HistoryEvent> Trim(long nowUnixMs, TimeSpan retention, int maxEvents)
    {
        var cutoff = nowUnixMs - (long)retention.TotalMilliseconds;
        var dropped = Events.Where(e => e.AtUnixMs < cutoff).ToList();
        Events.RemoveAll(e => e.AtUnixMs < cutoff);
        var excess = Events.Count - Math.Max(1, maxEvents);
        if (excess > 0)
        {
            dropped.AddRange(Events.Take(excess));
            Events.RemoveRange(0, excess);
        }

        return dropped;
    }
}
