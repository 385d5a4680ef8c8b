using System.Net.Sockets;
using DistIpam.Core.Addressing;
using DistIpam.Api.V1;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Results;

/// <summary>
/// Shapes an allocation into the result of the requested spec version: 0.3.x and 0.4.0 carry
/// <c>ips[].version</c>; 1.x does not. An IPAM result has no interfaces, so <c>ips[].interface</c>
/// is never set (the main plugin fills it in). Route fields new in 1.1.0 are dropped below 1.1.0.
/// </summary>
internal static class ResultShaper
{
    /// <summary>The result of an ADD.</summary>
    public static CniResultDocument FromAllocation(PluginConfiguration configuration, AllocateResponse response)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(response);
        if (response.Addresses.Count == 0)
        {
            throw new CniException(CniErrorCode.ServerError, "the server allocated no address", "Allocate returned an empty address list");
        }

        var version = configuration.CniVersion;
        var ips = new List<IpConfigEntry>(response.Addresses.Count);
        foreach (var allocated in response.Addresses)
        {
            ips.Add(Ip(version, allocated));
        }

        var routes = new List<RouteEntry>();
        foreach (var route in configuration.Routes)
        {
            AddDistinct(routes, Route(version, route));
        }

        foreach (var route in response.Routes)
        {
            AddDistinct(routes, new RouteEntry { Dst = route.Dst, Gw = string.IsNullOrEmpty(route.Gw) ? null : route.Gw });
        }

        return new CniResultDocument
        {
            CniVersion = version,
            Ips = ips,
            Routes = routes.Count > 0 ? routes : null,
            Dns = IsEmpty(configuration.Dns) ? null : configuration.Dns,
        };
    }

    /// <summary>One address entry in the shape of <paramref name="cniVersion"/>.</summary>
    public static IpConfigEntry Ip(string cniVersion, AllocatedAddress allocated)
    {
        ArgumentNullException.ThrowIfNull(allocated);
        if (!AddressParser.TryParsePrefix(allocated.Address, out var address, out _, out var error))
        {
            throw new CniException(CniErrorCode.ServerError, $"the server returned an address {InputEcho.Quote(allocated.Address)} that {error}");
        }

        return new IpConfigEntry
        {
            Version = CniVersions.IsAtLeast(cniVersion, CniVersions.NoIpVersionFrom) ? null : (address.AddressFamily == AddressFamily.InterNetwork ? "4" : "6"),
            Address = allocated.Address,
            Gateway = string.IsNullOrEmpty(allocated.Gateway) ? null : allocated.Gateway,
        };
    }

    /// <summary>A route in the shape of <paramref name="cniVersion"/> (1.1.0 fields dropped below 1.1.0).</summary>
    public static RouteEntry Route(string cniVersion, RouteEntry route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return CniVersions.IsAtLeast(cniVersion, CniVersions.RouteAttributesFrom) ? route : new RouteEntry { Dst = route.Dst, Gw = route.Gw };
    }

    private static void AddDistinct(List<RouteEntry> routes, RouteEntry route)
    {
        if (!routes.Exists(r => r.Dst == route.Dst && r.Gw == route.Gw))
        {
            routes.Add(route);
        }
    }

    private static bool IsEmpty(DnsEntry? dns) =>
        dns is null || ((dns.Nameservers?.Count ?? 0) == 0 && string.IsNullOrEmpty(dns.Domain) && (dns.Search?.Count ?? 0) == 0 && (dns.Options?.Count ?? 0) == 0);
}
