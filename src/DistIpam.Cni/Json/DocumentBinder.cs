using System.Text.Json;
using static DistIpam.Cni.Json.JsonFields;

namespace DistIpam.Cni.Json;

/// <summary>
/// Binds the network configuration to <see cref="NetworkConfigDocument"/> field by field. Unknown
/// fields are ignored, names match case-insensitively and the last of duplicate names wins (all as in
/// Go's encoding/json); a wrong type fails with code 7 naming the field.
/// </summary>
internal static class DocumentBinder
{
    /// <summary>The document at <paramref name="root"/>, or null when the root is JSON null.</summary>
    public static NetworkConfigDocument? Bind(JsonElement root)
    {
        const string Path = "$";
        if (!IsObject(root, Path, typeof(NetworkConfigDocument)))
        {
            return null;
        }

        string? cniVersion = null, networkName = null, type = null;
        IpamSection? ipam = null;
        PrevResultDocument? prevResult = null;
        RuntimeConfigSection? runtimeConfig = null;
        ArgsSection? args = null;
        List<AttachmentEntry>? validAttachments = null, attachments = null;
        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var path = Child(Path, name);
            if (Is(name, "cniVersion")) { cniVersion = String(value, path, typeof(NetworkConfigDocument)); }
            else if (Is(name, "name")) { networkName = String(value, path, typeof(NetworkConfigDocument)); }
            else if (Is(name, "type")) { type = String(value, path, typeof(NetworkConfigDocument)); }
            else if (Is(name, "ipam")) { ipam = Ipam(value, path); }
            else if (Is(name, "prevResult")) { prevResult = PrevResult(value, path); }
            else if (Is(name, "runtimeConfig")) { runtimeConfig = RuntimeConfig(value, path); }
            else if (Is(name, "args")) { args = Args(value, path); }
            else if (Is(name, "cni.dev/valid-attachments")) { validAttachments = List(value, path, Attachment); }
            else if (Is(name, "cni.dev/attachments")) { attachments = List(value, path, Attachment); }
        }

        return new NetworkConfigDocument
        {
            CniVersion = cniVersion,
            Name = networkName,
            Type = type,
            Ipam = ipam,
            PrevResult = prevResult,
            RuntimeConfig = runtimeConfig,
            Args = args,
            ValidAttachments = validAttachments,
            Attachments = attachments,
        };
    }

    private static IpamSection? Ipam(JsonElement element, string path)
    {
        if (!IsObject(element, path, typeof(IpamSection)))
        {
            return null;
        }

        string? type = null, nodeName = null, tokenFile = null, agent = null;
        bool? agentFallback = null;
        TlsSection? tls = null;
        List<string>? endpoints = null, pools = null;
        List<RouteEntry>? routes = null;
        DnsEntry? dns = null;
        double? timeoutSeconds = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var child = Child(path, name);
            if (Is(name, "type")) { type = String(value, child, typeof(IpamSection)); }
            else if (Is(name, "endpoints")) { endpoints = Strings(value, child); }
            else if (Is(name, "pools")) { pools = Strings(value, child); }
            else if (Is(name, "routes")) { routes = List(value, child, Route); }
            else if (Is(name, "dns")) { dns = Dns(value, child); }
            else if (Is(name, "nodeName")) { nodeName = String(value, child, typeof(IpamSection)); }
            else if (Is(name, "timeoutSeconds")) { timeoutSeconds = Double(value, child, typeof(IpamSection)); }
            else if (Is(name, "tls")) { tls = Tls(value, child); }
            else if (Is(name, "tokenFile")) { tokenFile = String(value, child, typeof(IpamSection)); }
            else if (Is(name, "agent")) { agent = String(value, child, typeof(IpamSection)); }
            else if (Is(name, "agentFallback")) { agentFallback = Boolean(value, child, typeof(IpamSection)); }
        }

        return new IpamSection
        {
            Type = type,
            Endpoints = endpoints,
            Pools = pools,
            Routes = routes,
            Dns = dns,
            NodeName = nodeName,
            TimeoutSeconds = timeoutSeconds,
            Tls = tls,
            TokenFile = tokenFile,
            Agent = agent,
            AgentFallback = agentFallback,
        };
    }

    private static TlsSection? Tls(JsonElement element, string path)
    {
        if (!IsObject(element, path, typeof(TlsSection)))
        {
            return null;
        }

        string? ca = null, cert = null, key = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var child = Child(path, name);
            if (Is(name, "ca")) { ca = String(property.Value, child, typeof(TlsSection)); }
            else if (Is(name, "cert")) { cert = String(property.Value, child, typeof(TlsSection)); }
            else if (Is(name, "key")) { key = String(property.Value, child, typeof(TlsSection)); }
        }

        return new TlsSection { Ca = ca, Cert = cert, Key = key };
    }

    private static RouteEntry? Route(JsonElement element, string path)
    {
        if (!IsObject(element, path, typeof(RouteEntry)))
        {
            return null;
        }

        string? dst = null, gw = null;
        int? mtu = null, advmss = null, priority = null, table = null, scope = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var child = Child(path, name);
            if (Is(name, "dst")) { dst = String(value, child, typeof(RouteEntry)); }
            else if (Is(name, "gw")) { gw = String(value, child, typeof(RouteEntry)); }
            else if (Is(name, "mtu")) { mtu = Int32(value, child, typeof(RouteEntry)); }
            else if (Is(name, "advmss")) { advmss = Int32(value, child, typeof(RouteEntry)); }
            else if (Is(name, "priority")) { priority = Int32(value, child, typeof(RouteEntry)); }
            else if (Is(name, "table")) { table = Int32(value, child, typeof(RouteEntry)); }
            else if (Is(name, "scope")) { scope = Int32(value, child, typeof(RouteEntry)); }
        }

        return new RouteEntry { Dst = dst, Gw = gw, Mtu = mtu, Advmss = advmss, Priority = priority, Table = table, Scope = scope };
    }

    private static DnsEntry? Dns(JsonElement element, string path)
    {
        if (!IsObject(element, path, typeof(DnsEntry)))
        {
            return null;
        }

        string? domain = null;
        List<string>? nameservers = null, search = null, options = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var child = Child(path, name);
            if (Is(name, "nameservers")) { nameservers = Strings(value, child); }
            else if (Is(name, "domain")) { domain = String(value, child, typeof(DnsEntry)); }
            else if (Is(name, "search")) { search = Strings(value, child); }
            else if (Is(name, "options")) { options = Strings(value, child); }
        }

        return new DnsEntry { Nameservers = nameservers, Domain = domain, Search = search, Options = options };
    }

    private static PrevResultDocument? PrevResult(JsonElement element, string path)
    {
        if (!IsObject(element, path, typeof(PrevResultDocument)))
        {
            return null;
        }

        string? cniVersion = null;
        List<IpConfigEntry>? ips = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var child = Child(path, name);
            if (Is(name, "cniVersion")) { cniVersion = String(value, child, typeof(PrevResultDocument)); }
            else if (Is(name, "ips")) { ips = List(value, child, IpConfig); }
        }

        return new PrevResultDocument { CniVersion = cniVersion, Ips = ips };
    }

    private static IpConfigEntry? IpConfig(JsonElement element, string path)
    {
        if (!IsObject(element, path, typeof(IpConfigEntry)))
        {
            return null;
        }

        string? version = null, address = null, gateway = null;
        int? @interface = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var child = Child(path, name);
            if (Is(name, "version")) { version = String(value, child, typeof(IpConfigEntry)); }
            else if (Is(name, "interface")) { @interface = Int32(value, child, typeof(IpConfigEntry)); }
            else if (Is(name, "address")) { address = String(value, child, typeof(IpConfigEntry)); }
            else if (Is(name, "gateway")) { gateway = String(value, child, typeof(IpConfigEntry)); }
        }

        return new IpConfigEntry { Version = version, Interface = @interface, Address = address, Gateway = gateway };
    }

    private static RuntimeConfigSection? RuntimeConfig(JsonElement element, string path) =>
        IsObject(element, path, typeof(RuntimeConfigSection)) ? new RuntimeConfigSection { Ips = OnlyField(element, path, "ips", Strings) } : null;

    private static ArgsSection? Args(JsonElement element, string path) =>
        IsObject(element, path, typeof(ArgsSection)) ? new ArgsSection { Cni = OnlyField(element, path, "cni", ArgsCni) } : null;

    private static ArgsCniSection? ArgsCni(JsonElement element, string path) =>
        IsObject(element, path, typeof(ArgsCniSection)) ? new ArgsCniSection { Ips = OnlyField(element, path, "ips", Strings) } : null;

    /// <summary>The one field these sections read (the last of duplicate names wins), or null when absent.</summary>
    private static T? OnlyField<T>(JsonElement element, string path, string field, Func<JsonElement, string, T?> read)
        where T : class
    {
        T? value = null;
        foreach (var property in element.EnumerateObject())
        {
            if (Is(property.Name, field))
            {
                value = read(property.Value, Child(path, property.Name));
            }
        }

        return value;
    }

    private static AttachmentEntry? Attachment(JsonElement element, string path)
    {
        if (!IsObject(element, path, typeof(AttachmentEntry)))
        {
            return null;
        }

        string? containerId = null, ifName = null;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var child = Child(path, name);
            if (Is(name, "containerID")) { containerId = String(value, child, typeof(AttachmentEntry)); }
            else if (Is(name, "ifname")) { ifName = String(value, child, typeof(AttachmentEntry)); }
        }

        return new AttachmentEntry { ContainerId = containerId, IfName = ifName };
    }
}
