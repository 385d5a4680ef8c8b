using System.Text.Json.Nodes;

namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>Network configurations for tests, built as JSON objects so a test can add or break any field.</summary>
public static class CniConfig
{
    /// <summary>A configuration that runs distipam directly (type distipam).</summary>
    public static JsonObject Distipam(string cniVersion, string network, IEnumerable<string> endpoints, string nodeName, double timeoutSeconds = 20, IEnumerable<string>? pools = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var ipam = new JsonObject
        {
            ["type"] = "distipam",
            ["endpoints"] = new JsonArray([.. endpoints.Select(e => (JsonNode?)JsonValue.Create(e))]),
            ["nodeName"] = nodeName,
            ["timeoutSeconds"] = timeoutSeconds,
        };
        if (pools is not null)
        {
            ipam["pools"] = new JsonArray([.. pools.Select(p => (JsonNode?)JsonValue.Create(p))]);
        }

        return new JsonObject
        {
            ["cniVersion"] = cniVersion,
            ["name"] = network,
            ["type"] = "distipam",
            ["ipam"] = ipam,
        };
    }

    /// <summary>The Unix endpoint text for a socket path.</summary>
    public static string Unix(string socketPath) => "unix://" + socketPath;
}
