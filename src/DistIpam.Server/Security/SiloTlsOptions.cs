namespace DistIpam.Server.Security;

/// <summary>
/// Mutual TLS between silos and on the Orleans gateway in cluster mode (section
/// <c>DistIpam:SiloTls</c>). Off unless all three files are set; every silo of a cluster needs it.
/// </summary>
public sealed class SiloTlsOptions
{
    /// <summary>PEM certificate of this silo (server and client authentication), read at start.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>PEM bundle of the CA that issues silo certificates: the only trust for a peer silo.</summary>
    public string? CaFile { get; set; }

    /// <summary>True when all three files are configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile) && !string.IsNullOrWhiteSpace(KeyFile) && !string.IsNullOrWhiteSpace(CaFile);
}
