using System.Text.RegularExpressions;
using DistIpam.Testing;

namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>
/// The Native AOT `distipam` executable under test. Published once per test run with
/// <c>dotnet publish src/DistIpam.Cni -c Release -r linux-x64</c> into the test output folder when it is
/// missing or older than any plugin or contract source; a failed publish fails the tests (never skips them).
/// </summary>
public static partial class PluginBinary
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The path of the published executable.</summary>
    public static Task<string> GetPathAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var root = RepositoryLayout.Root;
        var output = Path.Combine(AppContext.BaseDirectory, "distipam-aot");
        var binary = Path.Combine(output, "distipam");
        if (File.Exists(binary) && File.GetLastWriteTimeUtc(binary) > NewestInput(root))
        {
            return binary;
        }

        var project = Path.Combine(root, "src", "DistIpam.Cni", "DistIpam.Cni.csproj");
        var environment = new Dictionary<string, string?>();
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            // The test host's MSBuild settings must not leak into a nested build.
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        string[] arguments = ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-p:TreatWarningsAsErrors=true"];
        var outcome = await ProcessRunner.RunAsync(DotnetHost(), arguments, environment, stdin: null, PublishTimeout);
        if (outcome.ExitCode != 0)
        {
            // One more try: a build of another project in the same checkout can replace an input under ILC's
            // feet (seen as "Bus error"). A real failure fails twice and is reported with both outputs.
            var first = outcome;
            outcome = await ProcessRunner.RunAsync(DotnetHost(), arguments, environment, stdin: null, PublishTimeout);
            if (outcome.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"publishing the AOT plugin failed twice (exit {outcome.ExitCode}); a C toolchain (clang) and zlib1g-dev are needed:\n{outcome.Stdout}\n{outcome.Stderr}\nfirst attempt:\n{first.Stdout}");
            }
        }

        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"publishing the AOT plugin produced no {binary}:\n{outcome.Stdout}");
        }

        if (WarningPattern().IsMatch(outcome.Stdout))
        {
            throw new InvalidOperationException($"publishing the AOT plugin printed warnings (trim/AOT warnings must be zero):\n{outcome.Stdout}");
        }

        // An up-to-date publish may leave the old time stamp; mark the binary as checked against the sources.
        File.SetLastWriteTimeUtc(binary, DateTime.UtcNow);
        return binary;
    }

    private static DateTime NewestInput(string root)
    {
        var newest = DateTime.MinValue;
        foreach (var directory in new[] { Path.Combine(root, "src", "DistIpam.Cni"), Path.Combine(root, "src", "DistIpam.Client"), Path.Combine(root, "src", "DistIpam.Api"), Path.Combine(root, "src", "DistIpam.Core") })
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(directory, file);
                if (!relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    && !relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    newest = Max(newest, File.GetLastWriteTimeUtc(file));
                }
            }
        }

        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            newest = Max(newest, File.GetLastWriteTimeUtc(Path.Combine(root, file)));
        }

        return newest;
    }

    [GeneratedRegex(@": warning [A-Z]{2,}\d+")]
    private static partial Regex WarningPattern();

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
