using System.Globalization;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>
/// How much chaos to run (docs/chaos.md). CI mode by default: 100 schedules, of which 10 have a
/// pause past the death declaration and 20 another fault. Environment variables change it.
/// </summary>
internal sealed record ChaosSettings(ulong Seed, int Schedules, TimeSpan? Duration, TimeSpan ConvergenceWindow, string? FindingsFile, IReadOnlySet<string>? Phases = null)
{
    /// <summary>A soak of chosen phases only (comma-separated: long-pause, fault, work); unset runs all three.</summary>
    public const string PhasesVariable = "DISTIPAM_CHAOS_PHASES";

    /// <summary>Replays a run: the seed it printed.</summary>
    public const string SeedVariable = "DISTIPAM_CHAOS_SEED";

    /// <summary>Soak mode by count: this many schedules (faults in the CI proportions).</summary>
    public const string SchedulesVariable = "DISTIPAM_CHAOS_SCHEDULES";

    /// <summary>Soak mode by time: rounds of the CI mix until this much time has passed (minutes, or a TimeSpan like 00:30:00).</summary>
    public const string DurationVariable = "DISTIPAM_CHAOS_DURATION";

    /// <summary>How long the checks may take to come clean after a schedule (seconds; default 60).</summary>
    public const string ConvergenceVariable = "DISTIPAM_CHAOS_CONVERGENCE_SECONDS";

    /// <summary>A file every violation found is appended to, with seed and shrunk schedule (unset: none).</summary>
    public const string FindingsVariable = "DISTIPAM_CHAOS_FINDINGS";

    /// <summary>The CI mode's schedule count.</summary>
    public const int CiSchedules = 100;

    /// <summary>Out of every 10 schedules: this many pause a silo past its death declaration...</summary>
    public const int LongPausesPerTen = 1;

    /// <summary>...and this many inject another fault; the rest are concurrent work only.</summary>
    public const int OtherFaultsPerTen = 2;

    /// <summary>True when <paramref name="phase"/> runs in this run.</summary>
    public bool Runs(string phase) => Phases is null || Phases.Contains(phase);

    /// <summary>Reads the environment.</summary>
    public static ChaosSettings FromEnvironment()
    {
        var seedText = Environment.GetEnvironmentVariable(SeedVariable);
        var seed = ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var given) ? given : (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        var schedules = int.TryParse(Environment.GetEnvironmentVariable(SchedulesVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : CiSchedules;
        var durationText = Environment.GetEnvironmentVariable(DurationVariable);
        TimeSpan? duration = double.TryParse(durationText, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) ? TimeSpan.FromMinutes(minutes)
            : TimeSpan.TryParse(durationText, CultureInfo.InvariantCulture, out var span) ? span : null;
        var convergence = int.TryParse(Environment.GetEnvironmentVariable(ConvergenceVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 60;
        var findings = Environment.GetEnvironmentVariable(FindingsVariable);
        var phases = Environment.GetEnvironmentVariable(PhasesVariable)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return new ChaosSettings(seed, schedules, duration, TimeSpan.FromSeconds(convergence), string.IsNullOrWhiteSpace(findings) ? null : findings, phases is { Count: > 0 } ? phases : null);
    }
}
