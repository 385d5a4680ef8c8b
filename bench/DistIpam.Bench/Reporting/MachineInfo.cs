using System.Globalization;

namespace DistIpam.Bench.Reporting;

/// <summary>The machine a benchmark ran on (read from /proc), recorded with every result.</summary>
public sealed record MachineInfo(int Processors, string CpuModel, double MemoryGibibytes, string LoadAverage, string Kernel, string Runtime)
{
    /// <summary>Reads the current machine.</summary>
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        ReadField("/proc/cpuinfo", "model name") ?? "unknown",
        Math.Round(ParseKilobytes(ReadField("/proc/meminfo", "MemTotal")) / (1024.0 * 1024.0), 1),
        LoadAverageNow(),
        Environment.OSVersion.VersionString,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);

    /// <summary>The 1, 5 and 15 minute load averages, e.g. "3.10 2.80 2.50".</summary>
    public static string LoadAverageNow()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
    }

    private static string? ReadField(string path, string name)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == name)
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static double ParseKilobytes(string? text) =>
        text is null ? 0 : double.Parse(text.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
}
