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
}
