using System.Text.Json.Nodes;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Netns;

/// <summary>
/// The end-to-end story for one main plugin: two pods get dual-stack addresses from the server,
/// ping each other over IPv4 and IPv6, CHECK passes, DEL removes the interfaces and frees the
/// addresses on the server, and a second DEL succeeds.
/// </summary>
public static class PodPairScenario
{
    /// <summary>Runs the story with <paramref name="plugin"/> (e.g. "bridge") and <paramref name="config"/>.</summary>
    /// <returns>The two ADD results.</returns>
    public static async Task<(JsonNode A, JsonNode B)> RunAsync(NetnsLab lab, ServerFixture fixture, string plugin, JsonObject config, IReadOnlyList<string> pools)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(fixture);
        ArgumentNullException.ThrowIfNull(pools);
        var idA = $"{lab.Tag}-pod-a";
        var idB = $"{lab.Tag}-pod-b";

        var a = (await lab.RunPluginAsync(plugin, "ADD", config, lab.PodA, idA)).AssertSuccess().Json();
        var b = (await lab.RunPluginAsync(plugin, "ADD", config, lab.PodB, idB)).AssertSuccess().Json();
        var addressesA = PluginRunner.Addresses(a);
        var addressesB = PluginRunner.Addresses(b);
        Assert.Equal(2, addressesA.Count);
        Assert.Equal(2, addressesB.Count);
        Assert.Empty(addressesA.Intersect(addressesB));
        await AssertConfiguredAsync(lab.PodA, addressesA);
        await AssertConfiguredAsync(lab.PodB, addressesB);
        Assert.Equal(4, await AllocatedAsync(fixture, pools));

        foreach (var target in addressesB)
        {
            await NetnsLab.PingAsync(lab.PodA, Bare(target));
        }

        foreach (var target in addressesA)
        {
            await NetnsLab.PingAsync(lab.PodB, Bare(target));
        }

        (await lab.RunPluginAsync(plugin, "CHECK", PluginRunner.WithPrevResult(config, a), lab.PodA, idA)).AssertSuccess();
        (await lab.RunPluginAsync(plugin, "CHECK", PluginRunner.WithPrevResult(config, b), lab.PodB, idB)).AssertSuccess();

        (await lab.RunPluginAsync(plugin, "DEL", config, lab.PodA, idA)).AssertSuccess();
        (await lab.RunPluginAsync(plugin, "DEL", config, lab.PodB, idB)).AssertSuccess();
        foreach (var pod in new[] { lab.PodA, lab.PodB })
        {
            var link = await pod.ExecAsync("ip", "link", "show", "eth0");
            Assert.True(link.ExitCode != 0, $"eth0 still exists in {pod.Name} after DEL: {link.Stdout}");
        }

        Assert.Equal(0, await AllocatedAsync(fixture, pools));
        (await lab.RunPluginAsync(plugin, "DEL", config, lab.PodA, idA)).AssertSuccess();
        (await lab.RunPluginAsync(plugin, "DEL", config, lab.PodB, idB)).AssertSuccess();
        return (a, b);
    }

    /// <summary>The conflist-style configuration of <paramref name="plugin"/> with distipam as its ipam.</summary>
    public static JsonObject Config(string plugin, string network, ServerFixture fixture, IReadOnlyList<string> pools, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        ArgumentNullException.ThrowIfNull(pools);
        return new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = network,
            ["type"] = plugin,
            ["ipam"] = new JsonObject
            {
                ["type"] = "distipam",
                ["endpoints"] = new JsonArray(fixture.UnixEndpoint),
                ["pools"] = new JsonArray([.. pools.Select(p => (JsonNode?)JsonValue.Create(p))]),
                ["nodeName"] = nodeName,
                ["timeoutSeconds"] = 20,
                ["routes"] = new JsonArray(new JsonObject { ["dst"] = "0.0.0.0/0" }, new JsonObject { ["dst"] = "::/0" }),
            },
        };
    }

    private static async Task AssertConfiguredAsync(NetworkNamespace pod, IReadOnlyList<string> addresses)
    {
        var shown = await pod.ExecAsync("ip", "-o", "addr", "show", "dev", "eth0");
        NetworkNamespace.Require(shown, $"ip addr show in {pod.Name}");
        foreach (var address in addresses)
        {
            Assert.True(shown.Stdout.Contains($" {address} ", StringComparison.Ordinal), $"{address} is not on eth0 in {pod.Name}: {shown.Stdout}");
        }
    }

    private static async Task<long> AllocatedAsync(ServerFixture fixture, IReadOnlyList<string> pools)
    {
        long total = 0;
        foreach (var pool in pools)
        {
            total += await PoolSetup.AllocatedAsync(fixture.Pools, pool);
        }

        return total;
    }

    private static string Bare(string cidr) => cidr[..cidr.IndexOf('/', StringComparison.Ordinal)];
}
