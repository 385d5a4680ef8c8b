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
