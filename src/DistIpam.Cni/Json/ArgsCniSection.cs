namespace DistIpam.Cni.Json;

/// <summary>The <c>args.cni</c> object.</summary>
internal sealed class ArgsCniSection
{
    /// <summary>Requested addresses, with or without prefix length.</summary>
    public List<string>? Ips { get; init; }
}
