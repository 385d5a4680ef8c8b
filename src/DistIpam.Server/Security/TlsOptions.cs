namespace DistIpam.Server.Security;

/// <summary>TLS of the TCP gRPC listener (section <c>DistIpam:Tls</c>). Off unless both files are set.</summary>
public sealed class TlsOptions
{
    /// <summary>PEM server certificate (chain) file. Re-read when its modification time changes; no restart.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/> (PKCS#8, RSA or EC; unencrypted).</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// PEM bundle of the CAs that issue client certificates. Set: mutual TLS, a client certificate
    /// is verified against these CAs only (the system store is not trusted) and identifies the caller.
    /// </summary>
    public string? ClientCaFile { get; set; }

    /// <summary>
    /// With <see cref="ClientCaFile"/>: true (default) refuses a handshake without a client
    /// certificate; false lets such a client on to authenticate with a bearer token instead.
    /// </summary>
    public bool RequireClientCertificate { get; set; } = true;

    /// <summary>True when a server certificate and key are configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificateFile) && !string.IsNullOrWhiteSpace(KeyFile);
}
