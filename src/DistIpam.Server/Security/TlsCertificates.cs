using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistIpam.Server.Security;

/// <summary>
/// The server certificate and the client CAs of the TLS listener, read from PEM files and re-read
/// when they change: Kestrel asks <see cref="ServerCertificate"/> at every handshake.
/// </summary>
public sealed class TlsCertificates
{
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private readonly ReloadingFile<X509Certificate2> _server;
    private readonly ReloadingFile<X509Certificate2Collection>? _clientCas;

    /// <summary>Loads the files of <paramref name="options"/>; throws when one cannot be read (a start-up error).</summary>
    public TlsCertificates(TlsOptions options, Action<string, Exception>? reloadFailed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var certificate = options.CertificateFile!;
        var key = options.KeyFile!;
        _server = new ReloadingFile<X509Certificate2>(
            [certificate, key],
            () => X509Certificate2.CreateFromPemFile(certificate, key),
            e => reloadFailed?.Invoke(certificate, e));
        if (!string.IsNullOrWhiteSpace(options.ClientCaFile))
        {
            var ca = options.ClientCaFile;
            _clientCas = new ReloadingFile<X509Certificate2Collection>([ca], () => LoadBundle(ca), e => reloadFailed?.Invoke(ca, e));
        }
    }

    /// <summary>The current server certificate.</summary>
    public X509Certificate2 ServerCertificate => _server.Current;

    /// <summary>Whether client certificates are verified (a client CA file is set).</summary>
    public bool VerifiesClients => _clientCas is not null;

    /// <summary>
    /// Whether <paramref name="certificate"/> chains to one of the configured client CAs now (not
    /// the system store: a public CA must not mint DistIpam identities), is within its validity
    /// period and, if it names usages, allows client authentication.
    /// </summary>
    public bool IsTrustedClient(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (_clientCas is null)
        {
            return false;
        }

        return CertificateTrust.IsIssuedBy(certificate, _clientCas.Current, ClientAuthentication);
    }

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new InvalidOperationException($"{path} holds no PEM certificate");
    }
}
