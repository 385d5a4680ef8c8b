using System.Text.Json.Nodes;

namespace DistIpam.Bench.Cni;

/// <summary>Equivalent network configurations for distipam and host-local (the IPAM plugin run directly).</summary>
public static class CniConfigs
{
    /// <summary>The host-local plugin shipped by Debian's containernetworking-plugins.</summary>
    public const string HostLocalPath = "/usr/lib/cni/host-local";

    /// <summary>distipam over the server's Unix socket (the node-local endpoint), on the given pools (null: the server's default pools).</summary>
    public static string Distipam(string network, string socketPath, string node, IReadOnlyList<string>? pools)
    {
        var ipam = new JsonObject
        {
            ["type"] = "distipam",
            ["endpoints"] = new JsonArray("unix://" + socketPath),
            ["nodeName"] = node,
            ["timeoutSeconds"] = 30,
        };
        if (pools is not null)
        {
            ipam["pools"] = new JsonArray([.. pools.Select(p => (JsonNode?)JsonValue.Create(p))]);
        }

        return Network(network, "distipam", ipam);
    }

    /// <summary>distipam through the node agent at <paramref name="agentSocket"/> (no fallback: every call is the agent's).</summary>
    public static string DistipamViaAgent(string network, string agentSocket, string node, IReadOnlyList<string>? pools)
    {
        var ipam = new JsonObject
        {
            ["type"] = "distipam",
            ["agent"] = agentSocket,
            ["agentFallback"] = false,
            ["nodeName"] = node,
            ["timeoutSeconds"] = 30,
        };
        if (pools is not null)
        {
            ipam["pools"] = new JsonArray([.. pools.Select(p => (JsonNode?)JsonValue.Create(p))]);
        }

        return Network(network, "distipam", ipam);
    }

    /// <summary>host-local with one range per subnet (one subnet per family) and its own data directory.</summary>
    public static string HostLocal(string network, string dataDir, IReadOnlyList<string> subnets)
    {
        ArgumentNullException.ThrowIfNull(subnets);
        var ranges = new JsonArray([.. subnets.Select(s => (JsonNode?)new JsonArray(new JsonObject { ["subnet"] = s }))]);
        var ipam = new JsonObject { ["type"] = "host-local", ["ranges"] = ranges, ["dataDir"] = dataDir };
        return Network(network, "host-local", ipam);
    }

    /// <summary>Throws with the install command when host-local is missing.</summary>
    public static void EnsureHostLocal()
    {
        if (!File.Exists(HostLocalPath))
        {
            throw new FileNotFoundException(
                $"{HostLocalPath} is missing; install Debian's reference plugins: apt-get install containernetworking-plugins", HostLocalPath);
        }
    }

    private static string Network(string network, string type, JsonObject ipam) => new JsonObject
    {
        ["cniVersion"] = "1.0.0",
        ["name"] = network,
        ["type"] = type,
        ["ipam"] = ipam,
    }.ToJsonString();
}
