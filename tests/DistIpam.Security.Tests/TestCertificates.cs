using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DistIpam.Security.Tests;

/// <summary>
/// A throw-away PKI made in process (no key material is checked in): a CA, server certificates for
/// 127.0.0.1, client certificates by name, and PEM files of them in a temporary directory.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Creates a CA named <paramref name="name"/> and a directory for its files.</summary>
    public TestCertificates(string name = "distipam-test-ca")
    {
        Directory = Path.Combine(Path.GetTempPath(), "distipam-pki-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
        AuthorityFile = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(AuthorityFile, Authority.ExportCertificatePem());
    }

    /// <summary>The directory holding the PEM files (deleted on dispose).</summary>
    public string Directory { get; }

    /// <summary>The CA certificate (with its key).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The CA as a PEM file.</summary>
    public string AuthorityFile { get; }

    /// <summary>A silo certificate: server and client authentication, as both ends of a silo connection.</summary>
    public X509Certificate2 IssueSilo(string commonName = "distipam-silo") => Issue(commonName, [ServerAuth, ClientAuth], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), server: true);

    /// <summary>A server certificate for 127.0.0.1 and localhost.</summary>
    public X509Certificate2 IssueServer(string commonName = "distipam-server") => Issue(commonName, [ServerAuth], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), server: true);

    /// <summary>A client certificate whose CN is <paramref name="commonName"/>, valid now unless <paramref name="expired"/>.</summary>
    public X509Certificate2 IssueClient(string commonName, bool expired = false) => expired
        ? Issue(commonName, [ClientAuth], DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1), server: false)
        : Issue(commonName, [ClientAuth], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), server: false);

    /// <summary>Writes <paramref name="certificate"/> and its key as PEM files named after <paramref name="name"/>; returns (cert, key).</summary>
    public (string Certificate, string Key) Write(X509Certificate2 certificate, string name)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var certificateFile = Path.Combine(Directory, name + ".crt");
        var keyFile = Path.Combine(Directory, name + ".key");
        WriteAtomically(keyFile, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        WriteAtomically(certificateFile, certificate.ExportCertificatePem());
        return (certificateFile, keyFile);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Authority.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    // A rename, as Kubernetes swaps a mounted secret: a reader never sees half a file.
    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private X509Certificate2 Issue(string commonName, Oid[] usages, DateTimeOffset notBefore, DateTimeOffset notAfter, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(Authority, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }
}
