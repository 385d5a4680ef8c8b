using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Netns;

/// <summary>distipam as the ipam of Debian's reference `ptp` plugin, in network namespaces.</summary>
[Collection(NetnsGroup.Name)]
public class PtpEndToEndTests(ServerFixture fixture)
{
    /// <summary>
    /// ptp (1.1.1, and still in 1.9) puts the result's gateway on the host veth and replaces the
    /// on-link subnet route with a route via that gateway, so every packet is routed by the node. It
    /// needs a gateway and (for IPv4) a prefix shorter than /32; pools for ptp therefore use the
    /// block prefix and block gateway (POOL_WIRING_BRIDGED) — see docs/cni.md.
    /// </summary>
    [Fact]
    public async Task Ptp_TwoPods_DualStackPingCheckAndDel()
    {
        await using var lab = await NetnsLab.CreateAsync(fixture.Plugin.PluginPath, "ptp");
        string[] pools =
        [
            await PoolSetup.CreateAsync(fixture.Pools, "e2e-ptp-v4", "10.252.0.0/24", 26, PoolWiring.Bridged),
            await PoolSetup.CreateAsync(fixture.Pools, "e2e-ptp-v6", "fd00:252::/120", 122, PoolWiring.Bridged),
        ];
        var config = PodPairScenario.Config("ptp", $"e2e-ptp-{lab.Tag}", fixture, pools, $"node-{lab.Tag}");
        config["ipMasq"] = false;

        var (a, b) = await PodPairScenario.RunAsync(lab, fixture, "ptp", config, pools);

        Assert.Equal(4, a["ips"]!.AsArray().Count + b["ips"]!.AsArray().Count);
    }
}
