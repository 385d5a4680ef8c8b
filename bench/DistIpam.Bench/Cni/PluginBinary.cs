using System.Diagnostics;
using DistIpam.Testing;

namespace DistIpam.Bench.Cni;

/// <summary>
/// The Native AOT `distipam` plugin: <c>DISTIPAM_PLUGIN</c> if set, otherwise published with
/// <c>dotnet publish src/DistIpam.Cni -c Release -r linux-x64</c> into .artifacts/bench/distipam-aot
/// (again when a plugin or contract source is newer than the binary; an up-to-date binary published
/// by the CNI tests is used as is).
/// </summary>
public static class PluginBinary
{
    /// <summary>Environment variable naming a plugin binary to use instead of publishing one.</summary>
    public const string Variable = "DISTIPAM_PLUGIN";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>The path of the executable, publishing it first when needed.</summary>
    public static async Task<string> GetPathAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var overridden = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(overridden) ? Path.GetFullPath(overridden) : throw new FileNotFoundException($"{Variable}={overridden} does not exist", overridden);
        }

        await Gate.WaitAsync();
        try
        {
            var newest = NewestSource();
            var output = Path.Combine(RepositoryLayout.Root, ".artifacts", "bench", "distipam-aot");
            var binary = Path.Combine(output, "distipam");
            var current = Candidates(binary).FirstOrDefault(c => File.Exists(c) && File.GetLastWriteTimeUtc(c) > newest);
            if (current is not null)
            {
                return current;
            }

            context.Progress("publishing the AOT plugin (dotnet publish src/DistIpam.Cni -c Release -r linux-x64)");
            await PublishAsync(output);
            File.SetLastWriteTimeUtc(binary, DateTime.UtcNow);
            return binary;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Our own publish, then the one the CNI tests made (same command), if either is newer than every source.</summary>
    private static IEnumerable<string> Candidates(string own)
    {
        yield return own;
        var tests = Path.Combine(RepositoryLayout.Root, "tests", "DistIpam.Cni.Tests", "bin");
        foreach (var configuration in new[] { "Release", "Debug" })
        {
            yield return Path.Combine(tests, configuration, "net10.0", "distipam-aot", "distipam");
        }
    }

    private static async Task PublishAsync(string output)
    {
        var project = Path.Combine(RepositoryLayout.Root, "src", "DistIpam.Cni", "DistIpam.Cni.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings must not leak into a nested build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(PublishTimeout);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0 || !File.Exists(Path.Combine(output, "distipam")))
        {
            throw new InvalidOperationException($"publishing the AOT plugin failed (exit {process.ExitCode}); clang and zlib1g-dev are needed:\n{await stdout}\n{await stderr}");
        }
    }

    private static DateTime NewestSource()
    {
        var newest = DateTime.MinValue;
        foreach (var directory in new[] { Path.Combine(RepositoryLayout.Root, "src", "DistIpam.Cni"), Path.Combine(RepositoryLayout.Root, "src", "DistIpam.Client"), Path.Combine(RepositoryLayout.Root, "src", "DistIpam.Api"), Path.Combine(RepositoryLayout.Root, "src", "DistIpam.Core") })
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, file);
                if (!relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && !relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    var written = File.GetLastWriteTimeUtc(file);
                    newest = written > newest ? written : newest;
                }
            }
        }

        return newest;
    }
}
