using System.Text.Json.Nodes;

namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>Executes the AOT `distipam` binary as a container runtime would.</summary>
public sealed class PluginRunner(string pluginPath)
{
    /// <summary>Generous bound on one execution; the plugin's own deadline is much shorter in every test.</summary>
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The executable.</summary>
    public string PluginPath { get; } = pluginPath;

    /// <summary>Runs one verb. CNI_NETNS defaults to a path the plugin never opens (an IPAM plugin only needs it to be set).</summary>
    public Task<ProcessOutcome> RunAsync(
        string command,
        JsonNode? config,
        string containerId = "c0",
        string ifName = "eth0",
        string? netns = "/var/run/netns/unused",
        string? cniArgs = null,
        IReadOnlyDictionary<string, string?>? extraEnvironment = null,
        string? rawStdin = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_IFNAME"] = ifName,
            ["CNI_NETNS"] = netns,
            ["CNI_PATH"] = Path.GetDirectoryName(PluginPath),
            ["CNI_ARGS"] = cniArgs,
        };
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync(PluginPath, [], environment, rawStdin ?? config?.ToJsonString(), ProcessTimeout);
    }

    /// <summary>ADD that must succeed; returns the result.</summary>
    public async Task<JsonNode> AddAsync(JsonNode config, string containerId, string ifName = "eth0", string? cniArgs = null)
    {
        var outcome = await RunAsync("ADD", config, containerId, ifName, cniArgs: cniArgs);
        return outcome.AssertSuccess().Json();
    }

    /// <summary>The addresses of a result's ips[].</summary>
    public static List<string> Addresses(JsonNode result) =>
        [.. result["ips"]!.AsArray().Select(ip => ip!["address"]!.GetValue<string>())];

    /// <summary>A configuration carrying <paramref name="result"/> as prevResult.</summary>
    public static JsonNode WithPrevResult(JsonNode config, JsonNode result)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        var copy = config.DeepClone();
        copy["prevResult"] = result.DeepClone();
        return copy;
    }
}
