namespace DistIpam.Cni.Json;

/// <summary>The part of <c>prevResult</c> that CHECK reads.</summary>
internal sealed class PrevResultDocument
{
    /// <summary>The version the previous result is in.</summary>
    public string? CniVersion { get; init; }

    /// <summary>Its addresses.</summary>
    public List<IpConfigEntry>? Ips { get; init; }
}
