using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace DistIpam.Security.Tests;

/// <summary>
/// A real server with TLS and authentication on: client certificates of the test CA (admin "admin",
/// reader "reader", nodes "system:node:&lt;name&gt;") and bearer tokens from a file. Subclasses choose
/// whether a client certificate is required at the handshake.
/// </summary>
public abstract class SecureServerFixture : IAsyncLifetime
{
    /// <summary>The admin token of the tokens file.</summary>
    public const string AdminToken = "admin-token-0123456789abcdef";

    /// <summary>The reader token of the tokens file.</summary>
    public const string ReaderToken = "reader-token-0123456789abcdef";

    /// <summary>The watches one identity may hold open on this server.</summary>
    public const int MaxWatches = 2;

    private readonly bool _requireClientCertificate;
    private ServerProcess? _server;

    /// <summary>Creates the fixture.</summary>
    protected SecureServerFixture(bool requireClientCertificate) => _requireClientCertificate = requireClientCertificate;

    /// <summary>The test PKI.</summary>
    public TestCertificates Pki { get; } = new();

    /// <summary>The server.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("the server has not started");

    /// <summary>The served certificate's files (rewritten by the rotation test).</summary>
    public (string Certificate, string Key) ServerFiles { get; private set; }

    /// <summary>The tokens file.</summary>
    public string TokensFile => Path.Combine(Pki.Directory, "tokens");

    /// <summary>The node token of <paramref name="node"/> (added to the file by <see cref="AddNodeToken"/>).</summary>
    public static string NodeToken(string node) => "node-token-" + node + "-0123456789";

    /// <summary>Adds a node token to the file; the server picks it up without a restart.</summary>
    public void AddNodeToken(string node)
    {
        lock (Pki)
        {
            var lines = File.ReadAllLines(TokensFile).Append($"{NodeToken(node)} node {node}");
            var temporary = TokensFile + ".tmp";
            File.WriteAllLines(temporary, lines);
            File.Move(temporary, TokensFile, overwrite: true);
        }
    }

    /// <summary>A client certificate of the test CA for <paramref name="name"/>.</summary>
    public X509Certificate2 Client(string name) => Pki.IssueClient(name);

    /// <summary>A call invoker with a client certificate and/or a token.</summary>
    public Grpc.Core.CallInvoker Invoker(X509Certificate2? client = null, string? token = null) =>
        SecureChannels.Create(Server.GrpcPort, Pki.Authority, client, token);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        ServerFiles = Pki.Write(Pki.IssueServer(), "server");
        File.WriteAllLines(TokensFile, [$"# test tokens", $"{AdminToken} admin ops", $"{ReaderToken} reader dashboards"]);
        _server = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            Name = GetType().Name,
            Arguments =
            [
                $"--DistIpam:Tls:CertificateFile={ServerFiles.Certificate}",
                $"--DistIpam:Tls:KeyFile={ServerFiles.Key}",
                $"--DistIpam:Tls:ClientCaFile={Pki.AuthorityFile}",
                $"--DistIpam:Tls:RequireClientCertificate={_requireClientCertificate.ToString(CultureInfo.InvariantCulture)}",
                "--DistIpam:Auth:Enabled=true",
                $"--DistIpam:Auth:TokensFile={TokensFile}",
                "--DistIpam:Auth:Admins:0=admin",
                "--DistIpam:Auth:Readers:0=reader",
                $"--DistIpam:Auth:MaxWatchesPerIdentity={MaxWatches.ToString(CultureInfo.InvariantCulture)}",
            ],
        });
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Pki.Dispose();
    }
}
