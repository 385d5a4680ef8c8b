namespace DistIpam.Cni.Json;

/// <summary>The <c>ipam.tls</c> object: PEM files for https:// endpoints (docs/cni.md).</summary>
internal sealed class TlsSection
{
    /// <summary>CA bundle the server certificate must chain to; absent: the system's trust store.</summary>
    public string? Ca { get; init; }

    /// <summary>Client certificate (mutual TLS).</summary>
    public string? Cert { get; init; }

    /// <summary>Private key of <see cref="Cert"/>.</summary>
    public string? Key { get; init; }
}
