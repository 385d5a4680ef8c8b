using System.Diagnostics;

namespace DistIpam.Ctl.Tests;

/// <summary>
/// distipamctl ships two ways (docs/operations.md): as a .NET tool (<c>dotnet pack</c>, installed
/// with <c>dotnet tool install</c>) and as one file (<c>dotnet publish -r linux-x64
/// -p:PublishSingleFile=true</c>). Each is built from the repository, installed or copied into a
/// folder of its own, and must answer <c>version</c> from a real server. The pack reuses the
/// build the test run already made (<c>--no-build</c>), so it costs seconds.
/// </summary>
public sealed class PackagingTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>, IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);
    private readonly string _work = Directory.CreateTempSubdirectory("distipamctl-packaging-").FullName;

    private static string Project => Path.Combine(RepositoryLayout.Root, "src", "DistIpam.Ctl", "DistIpam.Ctl.csproj");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task PackThenToolInstall_FromTheRepository_RunsVersionAgainstTheServer()
    {
        var feed = Path.Combine(_work, "feed");
        await RunAsync("dotnet", "pack", Project, "-c", RepositoryLayout.Configuration, "--no-build", "-nologo", "-o", feed);
        // Only the local feed: the tool package carries its dependencies, nothing is downloaded.
        var config = Path.Combine(_work, "nuget.config");
        await File.WriteAllTextAsync(config, $"<?xml version=\"1.0\" encoding=\"utf-8\"?><configuration><packageSources><clear /><add key=\"local\" value=\"{feed}\" /></packageSources></configuration>");
        await RunAsync("dotnet", "tool", "install", "DistIpam.Ctl", "--tool-path", Path.Combine(_work, "tool"), "--configfile", config);

        var version = await RunAsync(Path.Combine(_work, "tool", "distipamctl"), "version", "--endpoint", fixture.Endpoint);

        Assert.Matches(@"Client: 0\.1\.0", version);
        Assert.Matches(@"Server: \d+\.\d+\.\d+", version);
    }

    [Fact]
    public async Task PublishSingleFile_LinuxX64_OneExecutableRunsVersionAgainstTheServer()
    {
        var output = Path.Combine(_work, "single");
        await RunAsync("dotnet", "publish", Project, "-c", RepositoryLayout.Configuration, "-r", "linux-x64", "-p:PublishSingleFile=true", "-nologo", "-o", output);
        // Copied alone into a folder of its own (File.Copy keeps the mode): it must not need any file published beside it.
        var alone = Path.Combine(_work, "alone");
        Directory.CreateDirectory(alone);
        File.Copy(Path.Combine(output, "distipamctl"), Path.Combine(alone, "distipamctl"));

        var version = await RunAsync(Path.Combine(alone, "distipamctl"), "version", "--endpoint", fixture.Endpoint);

        Assert.Empty(Directory.GetFiles(output, "*.dll"));
        Assert.Matches(@"Client: 0\.1\.0", version);
        Assert.Matches(@"Server: \d+\.\d+\.\d+", version);
    }

    /// <summary>Runs a program to its end; fails showing its output when it exits non-zero or overruns.</summary>
    private async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _work };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StepTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {StepTimeout}");
        }

        var (output, error) = (await stdout, await stderr);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}\nstdout:\n{output}\nstderr:\n{error}");
        return output;
    }
}
