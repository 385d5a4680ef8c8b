using System.Globalization;

namespace DistIpam.Bench.Measuring;

/// <summary>Reads a process's resident set size from /proc.</summary>
public static class ProcessMemory
{
    /// <summary>VmRSS of <paramref name="processId"/> in MiB, or -1 when /proc does not say.</summary>
    public static double ResidentMebibytes(int processId)
    {
        var path = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status";
        if (!File.Exists(path))
        {
            return -1;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kilobytes / 1024.0;
            }
        }

        return -1;
    }

    /// <summary>The total size of the files in <paramref name="directory"/> in MiB.</summary>
    public static double DirectoryMebibytes(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / (1024.0 * 1024.0)
            : 0;
}
