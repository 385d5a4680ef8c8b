using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Ctl.Hosting;
using DistIpam.Ctl.Output;
using Spectre.Console;

namespace DistIpam.Ctl.Commands;

/// <summary>History tables and "who held it at T".</summary>
public static class HistoryView
{
    /// <summary>One row per event, oldest first.</summary>
    public static Table Table(IEnumerable<HistoryEntry> events)
    {
        var table = Tables.Create("TIME", "EVENT", "ADDRESS", "SEQ", "HANDLE", "NODE", "POD", "BY", "REASON");
        foreach (var change in events)
        {
            table.Row(
                NodesCommands.Time(change.AtUnixMs),
                change.Kind,
                change.Address,
                change.Sequence.ToString(CultureInfo.InvariantCulture),
                change.Handle,
                change.Node,
                Pod(change.Pod),
                change.Actor,
                change.Reason);
        }

        return table;
    }

    /// <summary>"namespace/name", or "" when unknown.</summary>
    public static string Pod(PodAttributes? pod) =>
        pod is null || (pod.Namespace.Length == 0 && pod.Name.Length == 0) ? "" : $"{pod.Namespace}/{pod.Name}";

    /// <summary>
    /// The allocation that held the address at <paramref name="atUnixMs"/>: the last one made at or
    /// before it whose release (same sequence) is after it or not recorded, and no later allocation
    /// was made before it (an unrecorded release is implied by a newer sequence).
    /// </summary>
    public static HistoryEntry? HolderAt(IReadOnlyList<HistoryEntry> events, long atUnixMs)
    {
        ArgumentNullException.ThrowIfNull(events);
        var allocation = events.Where(e => e.Kind == "allocated" && e.AtUnixMs <= atUnixMs).MaxBy(e => e.AtUnixMs);
        if (allocation is null)
        {
            return null;
        }

        var released = events.Any(e => e.Kind == "released" && e.Sequence == allocation.Sequence && e.Address == allocation.Address && e.AtUnixMs <= atUnixMs);
        return released ? null : allocation;
    }

    /// <summary>Parses a time (ISO 8601; UTC unless it names an offset); exit code 2 otherwise.</summary>
    public static long ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUnixTimeMilliseconds()
            : throw new UsageException($"time '{text}' is not an ISO 8601 time such as 2026-11-24T14:05 (UTC) or 2026-11-24T14:05+01:00");
}
