using System.Diagnostics;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// The script of <c>completion bash</c>, sourced in a real bash where distipamctl runs the built tool: what
/// its completion function puts in COMPREPLY is what the user's TAB gets.
/// </summary>
public sealed class BashCompletionTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] PoolsSubcommands = ["create", "delete", "list", "show", "update"];

    [Fact]
    public async Task Tab_PartialCommandName_CompletesToThatCommandOnly()
    {
        var reply = await CompleteAsync("distipamctl po");

        // Bash inserts the candidates' common prefix: any candidate not starting with "po" (the
        // suggest directive also names commands and options merely containing it) stops the completion.
        Assert.Equal(["pools"], reply);
    }

    [Fact]
    public async Task Tab_AfterCommandAndSpace_OffersItsSubcommands()
    {
        var reply = await CompleteAsync("distipamctl pools ");

        Assert.All(PoolsSubcommands, name => Assert.Contains(name, reply));
    }

    [Fact]
    public async Task Tab_PartialSubcommand_CompletesIt()
    {
        var reply = await CompleteAsync("distipamctl nodes dr");

        Assert.Equal(["drain"], reply);
    }

    [Fact]
    public async Task Tab_PartialOption_CompletesIt()
    {
        var reply = await CompleteAsync("distipamctl nodes drain node-3 --fo");

        Assert.Equal(["--force"], reply);
    }

    /// <summary>COMPREPLY of the script's function for <paramref name="line"/>, cursor at its end (words split on spaces).</summary>
    private static async Task<string[]> CompleteAsync(string line)
    {
        var words = line.Split(' ');
        var script = $$"""
            set -e
            distipamctl() { '{{DotnetHost()}}' '{{Path.Combine(AppContext.BaseDirectory, "distipamctl.dll")}}' "$@"; }
            eval "$(distipamctl completion bash)"
            COMP_LINE='{{line}}'; COMP_POINT={{line.Length}}; COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}}); COMP_CWORD={{words.Length - 1}}
            _distipamctl_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        await process.WaitForExitAsync(timeout.Token);
        var (output, error) = (await stdout, await stderr);
        Assert.True(process.ExitCode == 0, $"bash completion of '{line}' exited {process.ExitCode}\nstdout:\n{output}\nstderr:\n{error}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : "dotnet";
    }
}
