using DistIpam.Client;
using DistIpam.Core.Addressing;
using System.Globalization;
using System.Net.Sockets;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Configuration;

/// <summary>Turns the bound configuration into a <see cref="PluginConfiguration"/>; every failure is code 7 naming the field.</summary>
internal static class ConfigurationValidator
{
    /// <summary>The longest deadline accepted, so a typo cannot make the plugin wait for hours.</summary>
    public const double MaxTimeoutSeconds = 600;

    /// <summary>The most entries of any list in the configuration (routes, nameservers, ips, ...).</summary>
    public const int MaxListEntries = 64;

    private const int MaxPools = 2;
    private const int MaxEndpoints = 8;
    private const int MaxSocketPathLength = 107;

    /// <summary>Validates <paramref name="document"/> for a call in <paramref name="cniVersion"/>.</summary>
    /// <param name="cniVersion">The requested version (already checked as supported).</param>
    /// <param name="document">The bound configuration.</param>
    /// <param name="nodeNameVariable">DISTIPAM_NODE_NAME, or null.</param>
    /// <param name="hostName">Returns the host name (only called when nothing else names the node).</param>
    public static PluginConfiguration Validate(string cniVersion, NetworkConfigDocument document, string? nodeNameVariable, Func<string> hostName)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(hostName);
        var name = string.IsNullOrEmpty(document.Name) ? throw CniException.InvalidConfiguration("name is required (the network name)") : document.Name;
        if (Identifier.Problem(name) is { } problem)
        {
            throw CniException.InvalidConfiguration($"name {InputEcho.Quote(name)} {problem}");
        }

        var ipam = document.Ipam ?? throw CniException.InvalidConfiguration("ipam is required (an object with type \"distipam\" and endpoints)");
        var agent = AgentSocket(ipam.Agent);
        var fallback = ipam.AgentFallback ?? true;
        // Without a fallback the agent is the only way to a server: endpoints are optional then.
        var endpoints = agent is not null && !fallback && (ipam.Endpoints is null || ipam.Endpoints.Count == 0) ? [] : Endpoints(ipam.Endpoints);
        return new PluginConfiguration
        {
            CniVersion = cniVersion,
            NetworkName = name,
            Endpoints = endpoints,
            Credentials = ClientCredentials.Read(ipam, endpoints),
            Pools = Pools(ipam.Pools),
            Routes = Routes(ipam.Routes),
            Dns = Dns(ipam.Dns),
            NodeName = NodeName(ipam.NodeName, nodeNameVariable, hostName),
            Timeout = Timeout(ipam.TimeoutSeconds),
            AgentSocket = agent,
            AgentFallback = fallback,
        };
    }

    private static string? AgentSocket(string? path)
    {
        if (path is null)
        {
            return null;
        }

        // sun_path holds 107 bytes and a NUL; a relative path would depend on the runtime's working directory.
        return path.Length is > 0 and <= MaxSocketPathLength && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal)
            ? path
            : throw CniException.InvalidConfiguration($"ipam.agent {InputEcho.Quote(path)} is not an absolute Unix socket path of at most {MaxSocketPathLength} characters");
    }

    private static List<ClientEndpoint> Endpoints(List<string>? endpoints)
    {
        if (endpoints is null || endpoints.Count == 0)
        {
            throw CniException.InvalidConfiguration("ipam.endpoints is required: a list of unix:///path, http://host:port or https://host:port");
        }

        Limit("ipam.endpoints", endpoints.Count, MaxEndpoints);

        return [.. endpoints.Select((e, i) => ConfiguredEndpoint.Parse(Field("ipam.endpoints", i), e))];
    }

    private static List<string> Pools(List<string>? pools)
    {
        if (pools is null)
        {
            return [];
        }

        if (pools.Count > MaxPools)
        {
            throw CniException.InvalidConfiguration($"ipam.pools names {pools.Count} pools; at most one per family ({MaxPools}) is allowed");
        }

        for (var i = 0; i < pools.Count; i++)
        {
            if (string.IsNullOrEmpty(pools[i]))
            {
                throw CniException.InvalidConfiguration($"{Field("ipam.pools", i)} is empty");
            }

            if (pools.IndexOf(pools[i]) != i)
            {
                throw CniException.InvalidConfiguration($"{Field("ipam.pools", i)} {InputEcho.Quote(pools[i])} is listed twice");
            }
        }

        return pools;
    }

    private static List<RouteEntry> Routes(List<RouteEntry>? routes)
    {
        if (routes is null)
        {
            return [];
        }

        Limit("ipam.routes", routes.Count, MaxListEntries);
        for (var i = 0; i < routes.Count; i++)
        {
            var field = Field("ipam.routes", i);
            var route = routes[i] ?? throw CniException.InvalidConfiguration($"{field} is null");
            if (!AddressParser.TryParsePrefix(route.Dst, out var dst, out _, out var dstError))
            {
                throw CniException.InvalidConfiguration($"{field}.dst {InputEcho.Quote(route.Dst)} {dstError} (e.g. 0.0.0.0/0 or ::/0)");
            }

            if (route.Gw is not null)
            {
                if (!AddressParser.TryParseAddress(route.Gw, out var gw, out var gwError))
                {
                    throw CniException.InvalidConfiguration($"{field}.gw {InputEcho.Quote(route.Gw)} {gwError}");
                }

                if (gw.AddressFamily != dst.AddressFamily)
                {
                    throw CniException.InvalidConfiguration($"{field}.gw {InputEcho.Quote(route.Gw)} is not of the same family as dst {InputEcho.Quote(route.Dst)}");
                }
            }

            NonNegative($"{field}.mtu", route.Mtu);
            NonNegative($"{field}.advmss", route.Advmss);
            NonNegative($"{field}.priority", route.Priority);
            NonNegative($"{field}.table", route.Table);
            NonNegative($"{field}.scope", route.Scope);
        }

        return routes;
    }

    private static DnsEntry? Dns(DnsEntry? dns)
    {
        var servers = dns?.Nameservers ?? [];
        Limit("ipam.dns.nameservers", servers.Count, MaxListEntries);
        Limit("ipam.dns.search", dns?.Search?.Count ?? 0, MaxListEntries);
        Limit("ipam.dns.options", dns?.Options?.Count ?? 0, MaxListEntries);
        for (var i = 0; i < servers.Count; i++)
        {
            if (!AddressParser.TryParseAddress(servers[i], out _, out var error))
            {
                throw CniException.InvalidConfiguration($"{Field("ipam.dns.nameservers", i)} {InputEcho.Quote(servers[i])} {error}");
            }
        }

        return dns;
    }

    private static string NodeName(string? configured, string? variable, Func<string> hostName)
    {
        var (name, source) = !string.IsNullOrEmpty(configured) ? (configured, "ipam.nodeName")
            : !string.IsNullOrEmpty(variable) ? (variable, "environment variable DISTIPAM_NODE_NAME")
            : (hostName(), "the host name (set ipam.nodeName or DISTIPAM_NODE_NAME to override)");
        return Identifier.Problem(name) is { } problem
            ? throw CniException.InvalidConfiguration($"node name {InputEcho.Quote(name)} from {source} {problem}")
            : name;
    }

    private static TimeSpan Timeout(double? seconds)
    {
        if (seconds is null)
        {
            return PluginConfiguration.DefaultTimeout;
        }

        return seconds is > 0 and <= MaxTimeoutSeconds
            ? TimeSpan.FromSeconds(seconds.Value)
            : throw CniException.InvalidConfiguration(
                $"ipam.timeoutSeconds {seconds.Value.ToString(CultureInfo.InvariantCulture)} is out of range; it must be greater than 0 and at most {MaxTimeoutSeconds.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void NonNegative(string field, int? value)
    {
        if (value < 0)
        {
            throw CniException.InvalidConfiguration($"{field} {value.Value.ToString(CultureInfo.InvariantCulture)} must not be negative");
        }
    }

    /// <summary>Refuses a list of more than <paramref name="max"/> entries (code 7), before any entry is parsed.</summary>
    public static void Limit(string field, int count, int max)
    {
        if (count > max)
        {
            throw CniException.InvalidConfiguration($"{field} has {count.ToString(CultureInfo.InvariantCulture)} entries; at most {max.ToString(CultureInfo.InvariantCulture)} are allowed");
        }
    }

    private static string Field(string list, int index) => $"{list}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>"IPv4" or "IPv6" for messages.</summary>
    public static string FamilyName(AddressFamily family) => family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
