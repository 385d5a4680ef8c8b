using System.Text.Json;
using DistIpam.Api.V1;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;
using DistIpam.Cni.Results;

namespace DistIpam.Cni.Tests.Results;

public class ResultShaperTests
{
    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    public void FromAllocation_PreOneZero_IpsCarryVersion(string version)
    {
        using var json = Shape(version, Response());
        var ips = json.RootElement.GetProperty("ips");

        Assert.Equal(version, json.RootElement.GetProperty("cniVersion").GetString());
        Assert.Equal("4", ips[0].GetProperty("version").GetString());
        Assert.Equal("6", ips[1].GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void FromAllocation_OneZeroAndLater_IpsWithoutVersion(string version)
    {
        using var json = Shape(version, Response());

        foreach (var ip in json.RootElement.GetProperty("ips").EnumerateArray())
        {
            Assert.False(ip.TryGetProperty("version", out _), $"ips[] has 'version' in a {version} result: {ip}");
        }
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void FromAllocation_AnyVersion_NoInterfacesAndNoInterfaceIndex(string version)
    {
        using var json = Shape(version, Response());

        Assert.False(json.RootElement.TryGetProperty("interfaces", out _));
        foreach (var ip in json.RootElement.GetProperty("ips").EnumerateArray())
        {
            Assert.False(ip.TryGetProperty("interface", out _));
        }
    }

    [Fact]
    public void FromAllocation_Bridged_AddressPrefixAndGatewayAsGiven()
    {
        using var json = Shape("1.0.0", Response());
        var v4 = json.RootElement.GetProperty("ips")[0];

        Assert.Equal("10.244.0.5/26", v4.GetProperty("address").GetString());
        Assert.Equal("10.244.0.1", v4.GetProperty("gateway").GetString());
    }

    [Fact]
    public void FromAllocation_Routed_NoGatewayProperty()
    {
        var response = new AllocateResponse();
        response.Addresses.Add(new AllocatedAddress { Address = "10.250.0.5/32", Family = IpFamily.V4 });

        using var json = Shape("1.0.0", response);
        var ip = json.RootElement.GetProperty("ips")[0];

        Assert.Equal("10.250.0.5/32", ip.GetProperty("address").GetString());
        Assert.False(ip.TryGetProperty("gateway", out _));
    }

    [Fact]
    public void FromAllocation_ConfigAndServerRoutes_MergedWithoutDuplicates()
    {
        var response = Response();
        response.Routes.Add(new Api.V1.Route { Dst = "0.0.0.0/0" });
        response.Routes.Add(new Api.V1.Route { Dst = "10.96.0.0/12", Gw = "10.244.0.1" });
        var routes = new List<RouteEntry> { new() { Dst = "0.0.0.0/0" }, new() { Dst = "::/0" } };

        using var json = Shape("1.0.0", response, routes);

        Assert.Equal(
            ["0.0.0.0/0", "::/0", "10.96.0.0/12"],
            json.RootElement.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("dst").GetString()));
    }

    [Theory]
    [InlineData("1.0.0", false)]
    [InlineData("1.1.0", true)]
    public void FromAllocation_RouteAttributes_OnlyFromOneOne(string version, bool expected)
    {
        var routes = new List<RouteEntry> { new() { Dst = "0.0.0.0/0", Mtu = 1400, Table = 100 } };

        using var json = Shape(version, Response(), routes);
        var route = json.RootElement.GetProperty("routes")[0];

        Assert.Equal(expected, route.TryGetProperty("mtu", out _));
        Assert.Equal(expected, route.TryGetProperty("table", out _));
    }

    [Fact]
    public void FromAllocation_NoRoutesNoDns_PropertiesOmitted()
    {
        using var json = Shape("1.0.0", Response());

        Assert.False(json.RootElement.TryGetProperty("routes", out _));
        Assert.False(json.RootElement.TryGetProperty("dns", out _));
    }

    [Fact]
    public void FromAllocation_Dns_Copied()
    {
        var dns = new DnsEntry { Nameservers = ["10.96.0.10"], Search = ["svc.cluster.local"] };

        using var json = Shape("1.0.0", Response(), dns: dns);

        Assert.Equal("10.96.0.10", json.RootElement.GetProperty("dns").GetProperty("nameservers")[0].GetString());
    }

    [Fact]
    public void FromAllocation_NoAddresses_ServerError() =>
        Assert.Equal(CniErrorCode.ServerError, Assert.Throws<CniException>(() => ResultShaper.FromAllocation(Config("1.0.0"), new AllocateResponse())).Code);

    private static AllocateResponse Response()
    {
        var response = new AllocateResponse();
        response.Addresses.Add(new AllocatedAddress { Address = "10.244.0.5/26", Gateway = "10.244.0.1", Family = IpFamily.V4, Pool = "pods-v4" });
        response.Addresses.Add(new AllocatedAddress { Address = "fd00:10:244::5/122", Gateway = "fd00:10:244::1", Family = IpFamily.V6, Pool = "pods-v6" });
        return response;
    }

    private static PluginConfiguration Config(string version, List<RouteEntry>? routes = null, DnsEntry? dns = null) => new()
    {
        CniVersion = version,
        NetworkName = "podnet",
        Endpoints = [ConfiguredEndpoint.Parse("e", "unix:///x.sock")],
        Pools = [],
        Routes = routes ?? [],
        Dns = dns,
        NodeName = "node",
        Timeout = TimeSpan.FromSeconds(1),
    };

    private static JsonDocument Shape(string version, AllocateResponse response, List<RouteEntry>? routes = null, DnsEntry? dns = null)
    {
        var result = ResultShaper.FromAllocation(Config(version, routes, dns), response);
        using var stdout = new MemoryStream();
        CniJsonWriter.WriteLine(stdout, result, CniJsonWriter.Write);
        return JsonDocument.Parse(stdout.ToArray());
    }
}
