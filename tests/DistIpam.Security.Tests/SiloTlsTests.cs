using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DistIpam.Api.V1;

namespace DistIpam.Security.Tests;

/// <summary>Cluster mode with <c>DistIpam:SiloTls</c>: silos join and serve over mutual TLS issued by one CA.</summary>
public sealed class SiloTlsTests : IDisposable
{
    private readonly TestCertificates _pki = new("distipam-silo-ca");

    [Fact]
    public async Task Cluster_SiloTls_SilosServeAndTheSiloPortSpeaksTlsWithTheClusterCertificate()
    {
        await using var cluster = await LocalCluster.StartAsync(2, "silo-tls", SiloArguments("silo"));

        // Handles land on either silo: some of these calls cross the TLS silo-to-silo connection.
        foreach (var silo in cluster.Silos)
        {
            for (var i = 0; i < 4; i++)
            {
                var handle = new Handle { Network = "podnet", ContainerId = "silo-tls-" + Guid.NewGuid().ToString("N")[..10], Interface = "eth0" };
                var response = await new Ipam.IpamClient(silo.CreateChannel()).AllocateAsync(new AllocateRequest { Handle = handle, Node = "silo-tls-node" });
                Assert.NotEmpty(response.Addresses);
            }
        }

        var presented = await HandshakeAsync(cluster.Silos[0].SiloPort, _pki.IssueSilo("probe"), _pki.Authority);
        Assert.Equal("CN=distipam-silo", presented.Subject);
    }

    [Fact]
    public async Task SiloPort_ClientCertificateOfOtherCa_Refused()
    {
        await using var cluster = await LocalCluster.StartAsync(1, "silo-tls-one", SiloArguments("silo-one"));
        using var other = new TestCertificates("not-the-silo-ca");

        var failure = await Record.ExceptionAsync(async () =>
        {
            // TLS 1.3 reports a refused client certificate on the first read, not in the handshake.
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", cluster.Silos[0].SiloPort);
            using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(Options(other.IssueSilo("intruder"), _pki.Authority));
            var buffer = new byte[1];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            if (await tls.ReadAsync(buffer, timeout.Token) == 0)
            {
                throw new IOException("closed by the silo");
            }
        });

        // Refused: the silo closes or resets the connection. A silo that accepted the certificate
        // would wait for the Orleans preamble, and the read would time out instead.
        Assert.True(failure is IOException or System.Security.Authentication.AuthenticationException, $"expected the silo to refuse the certificate, saw {failure?.GetType().Name ?? "no failure"}: {failure?.Message}");
    }

    /// <inheritdoc />
    public void Dispose() => _pki.Dispose();

    private string[] SiloArguments(string name)
    {
        var (certificate, key) = _pki.Write(_pki.IssueSilo(), name);
        return [$"--DistIpam:SiloTls:CertificateFile={certificate}", $"--DistIpam:SiloTls:KeyFile={key}", $"--DistIpam:SiloTls:CaFile={_pki.AuthorityFile}"];
    }

    private static async Task<X509Certificate2> HandshakeAsync(int port, X509Certificate2 client, X509Certificate2 authority)
    {
        X509Certificate2? seen = null;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        using var tls = new SslStream(tcp.GetStream());
        var options = Options(client, authority);
        options.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            seen = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return seen is not null && SecureChannels.ChainsTo(seen, authority);
        };
        await tls.AuthenticateAsClientAsync(options);
        return seen ?? throw new InvalidOperationException("the silo presented no certificate");
    }

    // The silo's certificate is checked against the silo CA only: silo names are not host names.
    private static SslClientAuthenticationOptions Options(X509Certificate2 client, X509Certificate2 authority) => new()
    {
        TargetHost = "distipam-silo",
        ClientCertificates = [client],
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && SecureChannels.ChainsTo(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), authority),
    };
}
