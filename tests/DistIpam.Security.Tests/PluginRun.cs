using System.Text;
using System.Text.Json;
using DistIpam.Cni;

namespace DistIpam.Security.Tests;

/// <summary>One in-process run of the plugin's dispatcher: exit code, stdout and stderr.</summary>
public sealed record PluginRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Runs the plugin with <paramref name="variables"/> and raw <paramref name="stdin"/>.</summary>
    public static async Task<PluginRun> RunAsync(IReadOnlyDictionary<string, string> variables, byte[] stdin)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var plugin = new CniPlugin(name => variables.GetValueOrDefault(name), () => stdin, stdout, stderr, () => "fuzz-host");
        var code = await plugin.RunAsync();
        return new PluginRun(code, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>Runs with a UTF-8 <paramref name="stdin"/>.</summary>
    public static Task<PluginRun> RunAsync(IReadOnlyDictionary<string, string> variables, string stdin) =>
        RunAsync(variables, Encoding.UTF8.GetBytes(stdin));

    /// <summary>The variables of one ADD, DEL or CHECK.</summary>
    public static Dictionary<string, string> Environment(string command, string containerId) => new()
    {
        ["CNI_COMMAND"] = command,
        ["CNI_CONTAINERID"] = containerId,
        ["CNI_NETNS"] = "/var/run/netns/none",
        ["CNI_IFNAME"] = "eth0",
        ["CNI_PATH"] = "/opt/cni/bin",
    };

    /// <summary>The error code on stdout, or null when stdout is not a CNI error object.</summary>
    public int? ErrorCode()
    {
        try
        {
            using var json = JsonDocument.Parse(Stdout);
            return json.RootElement.TryGetProperty("code", out var code) && code.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
