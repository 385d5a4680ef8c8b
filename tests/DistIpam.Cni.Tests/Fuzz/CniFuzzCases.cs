using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Cni.Tests.Fuzz;

/// <summary>
/// Generates hostile CNI invocations from one valid configuration: a field replaced by a value of
/// the wrong type, a hostile string or number, a deep or long structure, a duplicate key; then
/// sometimes stdin's bytes mangled (invalid UTF-8, truncation); and hostile CNI_* variables.
/// The endpoint is a Unix socket that does not exist and the deadline 1 ms, so a case that gets
/// past every check ends quickly with code 11 instead of touching a server.
/// </summary>
public static class CniFuzzCases
{
    private static readonly string DeadSocket = "unix://" + Path.Combine(Path.GetTempPath(), "distipam-fuzz-none.sock");

    // The fields a mutation may replace; the endpoint list and the deadline are left alone (see above).
    private static readonly string[] Fields =
    [
        "cniVersion", "name", "type", "ipam", "ipam.type", "ipam.pools", "ipam.pools[0]", "ipam.routes", "ipam.routes[0]",
        "ipam.routes[0].dst", "ipam.routes[0].gw", "ipam.routes[0].mtu", "ipam.routes[0].priority", "ipam.dns", "ipam.dns.nameservers",
        "ipam.dns.nameservers[0]", "ipam.dns.search", "ipam.nodeName", "ipam.tls", "ipam.tls.ca", "ipam.tokenFile", "args", "args.cni.ips",
        "args.cni.ips[0]", "runtimeConfig", "runtimeConfig.ips[0]", "prevResult", "prevResult.ips[0].address", "cni.dev/valid-attachments",
        "cni.dev/valid-attachments[0].containerID", "cni.dev/valid-attachments[0].ifname", "ipam.endpoints[1]",
    ];

    private static readonly string[] AddressFields = ["ipam.routes[0].dst", "ipam.routes[0].gw", "ipam.dns.nameservers[0]", "args.cni.ips[0]", "runtimeConfig.ips[0]"];

    /// <summary>Any hostile invocation.</summary>
    public static Gen<CniFuzzCase> Any() =>
        from command in Gen.Frequency((6, Gen.Elements("ADD", "DEL", "CHECK")), (2, Gen.Elements("GC", "STATUS", "VERSION")), (1, HostileValues.Text()))
        from version in Gen.Elements("1.0.0", "1.1.0", "0.4.0", "0.3.1")
        from field in Gen.Elements(Fields)
        from replacement in Value()
        from duplicate in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from mangle in Gen.Frequency((6, Gen.Constant(-1)), (1, Gen.Choose(0, 9)))
        from position in Gen.Choose(0, 10_000)
        from environment in Environment(command)
        select Build(version, field, replacement, duplicate, mangle, position, environment);

    private static Gen<Dictionary<string, string>> Environment(string command) =>
        from containerId in Gen.Frequency((6, Gen.Constant("fuzz-container")), (1, HostileValues.Text()), (1, Gen.Constant("")))
        from ifName in Gen.Frequency((6, Gen.Constant("eth0")), (1, HostileValues.Text()))
        from netns in Gen.Frequency((6, Gen.Constant("/var/run/netns/fuzz")), (1, HostileValues.Text()))
        from args in Gen.Frequency(
            (3, Gen.Constant("")),
            (3, HostileValues.Text().Select(t => "IP=" + t)),
            (1, Gen.Elements("IP=10.244.0.5", "IP=10.244.0.5/24,fd00::5", "IgnoreUnknown=1;FOO=bar", "IgnoreUnknown=maybe", "=x", "IP", ";;;", "K8S_POD_NAME=p;K8S_POD_NAMESPACE=n")),
            (1, HostileValues.Text()))
        select new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = containerId,
            ["CNI_IFNAME"] = ifName,
            ["CNI_NETNS"] = netns,
            ["CNI_ARGS"] = args,
            ["CNI_PATH"] = "/opt/cni/bin",
        };

    // A replacement JSON value: hostile strings, extreme numbers, wrong kinds, deep and long structures.
    private static Gen<JsonNode?> Value() => Gen.Frequency(
        (5, HostileValues.Text().Select(t => (JsonNode?)JsonValue.Create(t))),
        (2, HostileValues.Number().Select(n => (JsonNode?)JsonValue.Create(n))),
        (1, Gen.Elements<JsonNode?>(null, JsonValue.Create(true), JsonValue.Create(1e308), JsonValue.Create(-0.0), JsonValue.Create(0.5), new JsonObject(), new JsonArray())),
        (1, Gen.Choose(1, 200).Select(depth => Nested(depth))),
        (1, Gen.Elements(10, 1000, 70_000).Select(count => (JsonNode?)new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode?)JsonValue.Create("10.0.0." + (i % 256)))]))));

    private static JsonNode? Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }

        return node;
    }

    private static JsonObject Base(string version) => new()
    {
        ["cniVersion"] = version,
        ["name"] = "podnet",
        ["type"] = "distipam",
        ["ipam"] = new JsonObject
        {
            ["type"] = "distipam",
            ["endpoints"] = new JsonArray(DeadSocket),
            ["timeoutSeconds"] = 0.001,
            ["pools"] = new JsonArray("pods-v4"),
            ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0", ["gw"] = "10.244.0.1", ["mtu"] = 1500, ["priority"] = 1 }),
            ["dns"] = new JsonObject { ["nameservers"] = new JsonArray("10.96.0.10"), ["search"] = new JsonArray("svc.cluster.local") },
            ["nodeName"] = "fuzz-node",
        },
        ["args"] = new JsonObject { ["cni"] = new JsonObject { ["ips"] = new JsonArray("10.244.0.5") } },
        ["runtimeConfig"] = new JsonObject { ["ips"] = new JsonArray("10.244.0.5/24") },
        ["prevResult"] = new JsonObject { ["cniVersion"] = version, ["ips"] = new JsonArray(new JsonObject { ["address"] = "10.244.0.5/24" }) },
        ["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = "c1", ["ifname"] = "eth0" }),
    };

    private static CniFuzzCase Build(string version, string field, JsonNode? replacement, bool duplicate, int mangle, int position, Dictionary<string, string> environment)
    {
        var root = Base(version);
        Replace(root, field, replacement);
        var text = Render(root);
        if (duplicate)
        {
            // Duplicate keys: Go's encoding/json (and the plugin) take the last one.
            text = "{\"name\":\"first\"," + text[1..];
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        var description = $"{field} := {Describe(replacement)}{(duplicate ? ", duplicate name" : "")}";
        if (mangle >= 0)
        {
            bytes = Mangle(bytes, mangle, position % Math.Max(1, bytes.Length));
            description += $", bytes mangled ({mangle} at {position % Math.Max(1, bytes.Length)})";
        }

        var addresses = new List<string>();
        if (mangle < 0)
        {
            // Requested addresses count for ADD only; routes and nameservers for every verb.
            var add = environment["CNI_COMMAND"] == "ADD";
            addresses.AddRange(AddressFields.Where(f => add || f.StartsWith("ipam.", StringComparison.Ordinal))
                .Select(f => Find(root, f)).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>());
        }

        return new CniFuzzCase(environment, bytes, addresses, description);
    }

    // Utf8JsonWriter, not ToJsonString: the serializer's depth limit of 64 would refuse the deep values.
    private static string Render(JsonNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { MaxDepth = 1024 }))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Describe(JsonNode? node)
    {
        var text = node is null ? "null" : Render(node);
        return text.Length > 80 ? text[..80] + $"…({text.Length})" : text;
    }

    private static byte[] Mangle(byte[] bytes, int kind, int at) => kind switch
    {
        0 => [.. bytes[..at], 0xFF, .. bytes[at..]],
        1 => [.. bytes[..at], 0xC0, 0x80, .. bytes[at..]],
        2 => [.. bytes[..at], 0x80, .. bytes[at..]],
        3 => [.. bytes[..at], 0xE2, 0x82, .. bytes[at..]],
        4 => bytes[..at],
        5 => [0xEF, 0xBB, 0xBF, .. bytes],
        6 => [.. bytes, .. "{}"u8],
        7 => [.. bytes[..at], 0xED, 0xA0, 0x80, .. bytes[at..]],
        8 => [.. bytes[..at], 0x00, .. bytes[at..]],
        _ => [.. bytes[..at], 0xF4, 0x90, 0x80, 0x80, .. bytes[at..]],
    };

    private static void Replace(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value?.DeepClone();
                break;
            case JsonArray a when int.TryParse(last, out var index):
                while (a.Count <= index)
                {
                    a.Add(JsonValue.Create("fd00::1"));
                }

                a[index] = value?.DeepClone();
                break;
        }
    }

    private static JsonNode? Find(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path);
        return parent switch
        {
            JsonObject o => o[last],
            JsonArray a when int.TryParse(last, out var index) && index < a.Count => a[index],
            _ => null,
        };
    }

    // "ipam.routes[0].dst" -> (the routes[0] object, "dst"); "ipam.pools[0]" -> (the pools array, "0").
    private static (JsonNode? Parent, string Last) Parent(JsonObject root, string path)
    {
        var parts = path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Split('.');
        if (path.StartsWith("cni.dev/", StringComparison.Ordinal))
        {
            var rest = path["cni.dev/".Length..].Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Split('.');
            parts = ["cni.dev/" + rest[0], .. rest[1..]];
        }

        JsonNode? node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = node switch
            {
                JsonObject o => o[parts[i]],
                JsonArray a when int.TryParse(parts[i], out var index) && index < a.Count => a[index],
                _ => null,
            };
        }

        return (node, parts[^1]);
    }
}
