using System.Net;
using System.Text.Json.Nodes;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

[Collection(SharedServer.Name)]
public class AddCommandTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    public async Task Add_PreOneZero_DualStackWithIpVersion(string version)
    {
        var result = await fixture.Plugin.AddAsync(Config(version), TestIds.New("c"));

        Assert.Equal(version, result["cniVersion"]!.GetValue<string>());
        var ips = result["ips"]!.AsArray();
        Assert.Equal(["4", "6"], ips.Select(ip => ip!["version"]!.GetValue<string>()).Order());
        AssertBridgedDefaults(result);
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Add_OneZeroAndLater_DualStackWithoutIpVersion(string version)
    {
        var result = await fixture.Plugin.AddAsync(Config(version), TestIds.New("c"));

        Assert.Equal(version, result["cniVersion"]!.GetValue<string>());
        foreach (var ip in result["ips"]!.AsArray())
        {
            Assert.Null(ip!["version"]);
            Assert.Null(ip["interface"]);
        }

        Assert.Null(result["interfaces"]);
        AssertBridgedDefaults(result);
    }

    [Fact]
    public async Task Add_SameHandleTwice_SameAddresses()
    {
        var config = Config("1.0.0");
        var container = TestIds.New("c");

        var first = await fixture.Plugin.AddAsync(config, container);
        var second = await fixture.Plugin.AddAsync(config, container);

        Assert.Equal(PluginRunner.Addresses(first), PluginRunner.Addresses(second));
    }

    [Fact]
    public async Task Add_OtherInterfaceOfSameContainer_OtherAddresses()
    {
        var config = Config("1.0.0");
        var container = TestIds.New("c");

        var eth0 = await fixture.Plugin.AddAsync(config, container, "eth0");
        var net1 = await fixture.Plugin.AddAsync(config, container, "net1");

        Assert.Empty(PluginRunner.Addresses(eth0).Intersect(PluginRunner.Addresses(net1)));
    }

    [Fact]
    public async Task Add_KubernetesArgs_Accepted()
    {
        var result = await fixture.Plugin.AddAsync(
            Config("1.0.0"),
            TestIds.New("c"),
            cniArgs: "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=0b9e-11");

        Assert.Equal(2, result["ips"]!.AsArray().Count);
    }

    [Fact]
    public async Task Add_RequestedDualStackInCniArgs_ThoseAddresses()
    {
        var result = await fixture.Plugin.AddAsync(Config("1.0.0"), TestIds.New("c"), cniArgs: "IP=10.244.200.17/24,fd00:10:244:c8::17");

        Assert.Equal(["10.244.200.17", "fd00:10:244:c8::17"], PluginRunner.Addresses(result).Select(Bare).Order());
    }

    [Fact]
    public async Task Add_RequestedInRuntimeConfigAndArgs_ThoseAddresses()
    {
        var config = Config("1.0.0");
        config["runtimeConfig"] = new JsonObject { ["ips"] = new JsonArray("10.244.201.18/16") };
        config["args"] = new JsonObject { ["cni"] = new JsonObject { ["ips"] = new JsonArray("fd00:10:244:c9::18") } };

        var result = await fixture.Plugin.AddAsync(config, TestIds.New("c"));

        Assert.Equal(["10.244.201.18", "fd00:10:244:c9::18"], PluginRunner.Addresses(result).Select(Bare).Order());
    }

    [Fact]
    public async Task Add_RequestedAddressTaken_Code101NamingAddress()
    {
        var config = Config("1.0.0");
        await fixture.Plugin.AddAsync(config, TestIds.New("c"), cniArgs: "IP=10.244.202.19");

        var outcome = await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"), cniArgs: "IP=10.244.202.19");

        outcome.AssertError(101, "10.244.202.19");
    }

    [Fact]
    public async Task Add_RequestedOutsidePool_Code102()
    {
        var outcome = await fixture.Plugin.RunAsync("ADD", Config("1.0.0"), TestIds.New("c"), cniArgs: "IP=192.0.2.1");

        outcome.AssertError(102, "192.0.2.1");
    }

    [Fact]
    public async Task Add_UnknownPool_Code103()
    {
        var config = Config("1.0.0");
        config["ipam"]!["pools"] = new JsonArray("no-such-pool");

        var outcome = await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"));

        outcome.AssertError(103, "no-such-pool");
    }

    [Fact]
    public async Task Add_PoolFull_Code100NamingPool()
    {
        var pool = await PoolSetup.CreateAsync(fixture.Pools, "tiny", "10.250.7.0/29", blockPrefixLength: 29);
        var config = Config("1.0.0");
        config["ipam"]!["pools"] = new JsonArray(pool);

        ProcessOutcome? refused = null;
        var granted = new List<string>();
        for (var i = 0; i < 8 && refused is null; i++)
        {
            var outcome = await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"));
            if (outcome.ExitCode == 0)
            {
                granted.AddRange(PluginRunner.Addresses(outcome.Json()));
            }
            else
            {
                refused = outcome;
            }
        }

        Assert.True(refused is not null, $"a /29 pool still granted an address after {granted.Count}: {string.Join(", ", granted)}");
        refused.AssertError(100, pool);
        Assert.InRange(granted.Count, 1, 6);
        Assert.Equal(granted.Count, granted.Distinct().Count());
    }

    [Fact]
    public async Task Add_RoutedPools_HostPrefixesWithoutGateway()
    {
        var v4 = await PoolSetup.CreateAsync(fixture.Pools, "routed-v4", "10.253.0.0/24", 26, PoolWiring.Routed);
        var v6 = await PoolSetup.CreateAsync(fixture.Pools, "routed-v6", "fd00:253::/120", 122, PoolWiring.Routed);
        var config = Config("1.0.0");
        config["ipam"]!["pools"] = new JsonArray(v4, v6);

        var result = await fixture.Plugin.AddAsync(config, TestIds.New("c"));

        var ips = result["ips"]!.AsArray();
        Assert.Equal(2, ips.Count);
        Assert.Contains(ips, ip => ip!["address"]!.GetValue<string>().StartsWith("10.253.0.", StringComparison.Ordinal) && ip["address"]!.GetValue<string>().EndsWith("/32", StringComparison.Ordinal));
        Assert.Contains(ips, ip => ip!["address"]!.GetValue<string>().StartsWith("fd00:253::", StringComparison.Ordinal) && ip["address"]!.GetValue<string>().EndsWith("/128", StringComparison.Ordinal));
        Assert.All(ips, ip => Assert.Null(ip!["gateway"]));
    }

    private static string Bare(string cidr) => cidr[..cidr.IndexOf('/', StringComparison.Ordinal)];

    private static void AssertBridgedDefaults(JsonNode result)
    {
        foreach (var ip in result["ips"]!.AsArray())
        {
            var address = ip!["address"]!.GetValue<string>();
            var gateway = ip["gateway"]!.GetValue<string>();
            var v4 = address.Contains('.', StringComparison.Ordinal);
            Assert.EndsWith(v4 ? "/26" : "/122", address, StringComparison.Ordinal);
            Assert.True(IPAddress.TryParse(gateway, out _), $"gateway '{gateway}' of {address}");
            Assert.StartsWith(v4 ? "10.244." : "fd00:10:244:", address, StringComparison.Ordinal);
        }
    }

    private JsonObject Config(string version) =>
        CniConfig.Distipam(version, "addnet", [fixture.UnixEndpoint], "node-add");
}
