namespace DistIpam.Cni.Json;

/// <summary>The <c>runtimeConfig</c> capability arguments distipam honours.</summary>
internal sealed class RuntimeConfigSection
{
    /// <summary>The <c>ips</c> capability: requested addresses, with or without prefix length.</summary>
    public List<string>? Ips { get; init; }
}
