namespace DistIpam.Cni.Json;

/// <summary>DNS settings, in configuration and in results.</summary>
internal sealed class DnsEntry
{
    /// <summary>Name server addresses.</summary>
    public List<string>? Nameservers { get; init; }

    /// <summary>Local domain.</summary>
    public string? Domain { get; init; }

    /// <summary>Search domains.</summary>
    public List<string>? Search { get; init; }

    /// <summary>Resolver options.</summary>
    public List<string>? Options { get; init; }
}
