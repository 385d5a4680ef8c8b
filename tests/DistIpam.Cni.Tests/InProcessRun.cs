using System.Text;
using System.Text.Json;

namespace DistIpam.Cni.Tests;

/// <summary>One in-process run of the dispatcher (no process, no server): exit code, stdout and stderr.</summary>
internal sealed record InProcessRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs <see cref="CniPlugin"/> with the given variables and stdin.</summary>
    public static Task<InProcessRun> RunAsync(IReadOnlyDictionary<string, string> variables, string stdin) =>
        RunAsync(variables, Encoding.UTF8.GetBytes(stdin));

    /// <summary>Runs <see cref="CniPlugin"/> with the given variables and raw stdin bytes (e.g. invalid UTF-8).</summary>
    public static async Task<InProcessRun> RunAsync(IReadOnlyDictionary<string, string> variables, byte[] stdin)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var plugin = new CniPlugin(name => variables.GetValueOrDefault(name), () => stdin, stdout, stderr, () => "test-host");
        var code = await plugin.RunAsync();
        return new InProcessRun(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>The error code printed on stdout (fails the test if stdout is not an error object).</summary>
    public int ErrorCode()
    {
        using var json = JsonDocument.Parse(Stdout);
        return json.RootElement.GetProperty("code").GetInt32();
    }

    /// <summary>stdout as JSON.</summary>
    public JsonDocument Json() => JsonDocument.Parse(Stdout);

    /// <summary>The variables of one call of <paramref name="command"/> with a valid container, netns and interface.</summary>
    public static Dictionary<string, string> Environment(string command, string containerId = "container-1") => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/var/run/netns/none",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    /// <summary>Asserts exit 1 with one spec-shaped error object of <paramref name="code"/> whose msg or details contain <paramref name="messagePart"/>.</summary>
    public void AssertError(int code, string messagePart)
    {
        var shown = Stdout.Length > 2000 ? Stdout[..2000] + "…" : Stdout;
        Assert.True(ExitCode == 1, $"expected exit 1, got {ExitCode}; stdout: {shown}");
        using var json = Json();
        Assert.True(code == json.RootElement.GetProperty("code").GetInt32(), $"expected code {code}; stdout: {shown}");
        var text = json.RootElement.GetProperty("msg").GetString() + " " + (json.RootElement.TryGetProperty("details", out var d) ? d.GetString() : "");
        Assert.True(text.Contains(messagePart, StringComparison.Ordinal), $"expected '{messagePart}' in the error; stdout: {shown}");
        Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("cniVersion").ValueKind);
    }
}
