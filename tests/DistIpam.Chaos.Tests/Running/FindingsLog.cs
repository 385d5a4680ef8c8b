using System.Globalization;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Schedules;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>Appends every failing schedule (seed, schedule, violations) to the file <see cref="ChaosSettings.FindingsVariable"/> names, as soon as it fails.</summary>
internal sealed class FindingsLog(string? path, string run)
{
    private readonly Lock _gate = new();

    /// <summary>Appends one failing schedule.</summary>
    public void Append(ulong seed, string phase, Schedule schedule, IReadOnlyList<Violation> violations)
    {
        if (path is null)
        {
            return;
        }

        var text = string.Create(CultureInfo.InvariantCulture,
            $"\n### {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC, {run}, seed {seed}, {phase}\n\nschedule: `{schedule}`\n\n{string.Join("\n", violations.Take(20).Select(v => "- " + v.ToString().Replace("\n", "\n  ", StringComparison.Ordinal)))}\n");
        lock (_gate)
        {
            File.AppendAllText(path, text);
        }
    }
}
