using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace DistIpam.Server.Security;

/// <summary>
/// Orleans connection TLS from <see cref="SiloTlsOptions"/>: each silo presents its certificate and
/// requires one from its peer and from gateway clients, accepting only certificates of the silo CA
/// (so a process that can reach the silo port but holds no cluster certificate cannot join or call).
/// </summary>
public static class SiloTls
{
    /// <summary>Turns TLS on for silo-to-silo and gateway connections.</summary>
    public static void Apply(ISiloBuilder silo, SiloTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var certificate = X509Certificate2.CreateFromPemFile(options.CertificateFile!, options.KeyFile!);
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(options.CaFile!);
        silo.UseTls(certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Silo names are not host names: trust is the cluster CA, whatever name the certificate carries.
            tls.RemoteCertificateValidation = (remote, _, _) => CertificateTrust.IsIssuedBy(remote, authorities);
        });
    }
}
