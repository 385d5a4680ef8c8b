using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests;

/// <summary>One run of distipamctl in-process, its output captured.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record CtlRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs <paramref name="args"/> with DISTIPAM_ENDPOINT set to <paramref name="endpoint"/>.</summary>
    public static async Task<CtlRun> RunAsync(string endpoint, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string> { [DefaultEndpoint.Variable] = endpoint };
        var code = await CtlApp.RunAsync(args, new CtlIo
        {
            Out = output,
            Error = error,
            GetEnvironment = name => environment.GetValueOrDefault(name),
            Width = 250,
        });
        return new CtlRun(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs <paramref name="args"/> (with <c>-o json</c>) until <paramref name="done"/> holds for its
    /// output, e.g. history written in the background; returns that output.
    /// </summary>
    public static async Task<System.Text.Json.JsonElement> PollJsonAsync(string endpoint, Func<System.Text.Json.JsonElement, bool> done, string expected, params string[] args)
    {
        System.Text.Json.JsonElement last = default;
        await Poll.UntilAsync(
            async () =>
            {
                var run = await RunAsync(endpoint, [.. args, "-o", "json"]);
                if (run.ExitCode != ExitCodes.Ok && run.ExitCode != ExitCodes.NotFound)
                {
                    return $"exit code {run.ExitCode}: {run.Error}";
                }

                last = run.ExitCode == ExitCodes.Ok ? run.Json() : default;
                return run.ExitCode == ExitCodes.Ok && done(last) ? null : run.Out + run.Error;
            },
            TimeSpan.FromSeconds(20),
            expected);
        return last;
    }

    /// <summary>Asserts the exit code, showing both streams when it differs.</summary>
    public CtlRun Expect(int code)
    {
        Assert.True(ExitCode == code, $"expected exit code {code}, got {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}");
        return this;
    }

    /// <summary>Asserts that standard output matches <paramref name="pattern"/>, showing it when not.</summary>
    public void AssertOut(string pattern) =>
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(Out, pattern), $"expected stdout to match {pattern}, but it was:\n{Out}");

    /// <summary>Standard output parsed as JSON.</summary>
    public System.Text.Json.JsonElement Json() => System.Text.Json.JsonDocument.Parse(Out).RootElement;
}
