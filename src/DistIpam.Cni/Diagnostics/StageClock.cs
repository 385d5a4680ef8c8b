using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DistIpam.Cni.Diagnostics;

/// <summary>
/// Where one invocation's time goes, for the benchmark's breakdown (docs/benchmarks.md): with
/// <see cref="Variable"/>=1 the plugin stamps each <see cref="Stage"/> with the monotonic clock
/// (<see cref="Stopwatch.GetTimestamp"/>, the same clock in every process on the machine, so the
/// caller can put its own fork and exit on the same axis) and writes one line to stderr at the end.
/// Off, a stamp is one null check.
/// </summary>
internal static class StageClock
{
    /// <summary>The variable that turns it on.</summary>
    public const string Variable = "DISTIPAM_CNI_TIMING";

    /// <summary>The line's first word.</summary>
    public const string Prefix = "distipam-timing";

    private static long[]? _marks;

    /// <summary>Starts recording and stamps <see cref="Stage.Main"/>.</summary>
    public static void Enable()
    {
        _marks = new long[Enum.GetValues<Stage>().Length];
        Mark(Stage.Main);
    }

    /// <summary>Stamps <paramref name="stage"/> when recording.</summary>
    public static void Mark(Stage stage)
    {
        if (_marks is { } marks)
        {
            marks[(int)stage] = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Writes "distipam-timing frequency=F main=T parsed=T ..." (0 for a stage not reached) when recording.</summary>
    public static void Report(TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (_marks is not { } marks)
        {
            return;
        }

        var line = new StringBuilder(Prefix).Append(CultureInfo.InvariantCulture, $" frequency={Stopwatch.Frequency}");
        foreach (var stage in Enum.GetValues<Stage>())
        {
            line.Append(CultureInfo.InvariantCulture, $" {stage.ToString().ToLowerInvariant()}={marks[(int)stage]}");
        }

        log.WriteLine(line.ToString());
    }
}
