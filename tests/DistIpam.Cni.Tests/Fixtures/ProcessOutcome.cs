using System.Text.Json.Nodes;

namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>What one child process did: exit code, stdout, stderr and wall time (start to exit).</summary>
public sealed record ProcessOutcome(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>stdout parsed as JSON.</summary>
    public JsonNode Json() => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException($"stdout is JSON null; {Describe()}");

    /// <summary>The CNI error code on stdout.</summary>
    public int ErrorCode => Json()["code"]!.GetValue<int>();

    /// <summary>Everything, for assertion messages.</summary>
    public string Describe() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:0} ms; stdout: {Stdout}; stderr: {Stderr}";

    /// <summary>Asserts exit 0.</summary>
    public ProcessOutcome AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"expected success; {Describe()}");
        return this;
    }

    /// <summary>Asserts exit 1 with a CNI error object of <paramref name="code"/> whose msg or details contain <paramref name="text"/>.</summary>
    public ProcessOutcome AssertError(int code, string? text = null)
    {
        Assert.True(ExitCode == 1, $"expected exit 1 with code {code}; {Describe()}");
        var json = Json();
        Assert.True(json["code"]?.GetValue<int>() == code, $"expected code {code}; {Describe()}");
        Assert.True(json["cniVersion"] is not null && json["msg"] is not null, $"the error object lacks cniVersion or msg; {Describe()}");
        if (text is not null)
        {
            var all = $"{json["msg"]} {json["details"]}";
            Assert.True(all.Contains(text, StringComparison.Ordinal), $"expected '{text}' in the error; {Describe()}");
        }

        return this;
    }
}
