using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Netns;

/// <summary>distipam as the ipam of Debian's reference `bridge` plugin, in network namespaces.</summary>
[Collection(NetnsGroup.Name)]
public class BridgeEndToEndTests(ServerFixture fixture)
{
    [Fact]
    public async Task Bridge_TwoPods_DualStackPingCheckAndDel()
    {
        await using var lab = await NetnsLab.CreateAsync(fixture.Plugin.PluginPath, "bridge");
        string[] pools =
        [
            await PoolSetup.CreateAsync(fixture.Pools, "e2e-br-v4", "10.251.0.0/24", 26),
            await PoolSetup.CreateAsync(fixture.Pools, "e2e-br-v6", "fd00:251::/120", 122),
        ];
        var config = PodPairScenario.Config("bridge", $"e2e-bridge-{lab.Tag}", fixture, pools, $"node-{lab.Tag}");
        config["bridge"] = $"dcbr{lab.Tag}";
        config["isGateway"] = true;
        config["ipMasq"] = false;

        var (a, _) = await PodPairScenario.RunAsync(lab, fixture, "bridge", config, pools);

        // Bridged wiring: the block prefix and the block gateway, which the bridge then holds.
        var ips = a["ips"]!.AsArray();
        Assert.Contains(ips, ip => ip!["address"]!.GetValue<string>().EndsWith("/26", StringComparison.Ordinal) && ip["gateway"]!.GetValue<string>().StartsWith("10.251.0.", StringComparison.Ordinal));
        Assert.Contains(ips, ip => ip!["address"]!.GetValue<string>().EndsWith("/122", StringComparison.Ordinal) && ip["gateway"]!.GetValue<string>().StartsWith("fd00:251::", StringComparison.Ordinal));
    }
}
