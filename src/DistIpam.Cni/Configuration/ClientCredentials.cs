using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DistIpam.Client;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;
using DistIpam.Core.Addressing;

namespace DistIpam.Cni.Configuration;

/// <summary>
/// How the plugin proves who it is (<c>ipam.tls</c>, <c>ipam.tokenFile</c>). Holds secrets, so it
/// is a class whose <see cref="ToString"/> names the files only: no message, log line or record
/// print-out can carry a key or a token, and failures name the file, never its content.
/// </summary>
internal sealed class ClientCredentials
{
    private const int MaxTokenLength = 4096;
    private readonly string? _token;

    private ClientCredentials(X509Certificate2Collection? authorities, X509Certificate2? certificate, string? token, string description)
    {
        Authorities = authorities;
        Certificate = certificate;
        _token = token;
        Description = description;
    }

    /// <summary>
    /// The CAs the server certificate must chain to (only those: a public CA must not vouch for the
    /// IPAM server; the certificate must still name the endpoint's host); null: the system store.
    /// </summary>
    public X509Certificate2Collection? Authorities { get; }

    /// <summary>The client certificate with its key, or null.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>The bearer token (first line of <c>ipam.tokenFile</c>), or null.</summary>
    public string? Token => _token;

    private string Description { get; }

    /// <summary>Reads the files <paramref name="ipam"/> names; null when it names none. Failures are code 7.</summary>
    public static ClientCredentials? Read(IpamSection ipam, IReadOnlyList<ClientEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(ipam);
        ArgumentNullException.ThrowIfNull(endpoints);
        var tls = ipam.Tls;
        if (tls is null && ipam.TokenFile is null)
        {
            return null;
        }

        if (tls is not null && !endpoints.Any(e => e.IsTls))
        {
            throw CniException.InvalidConfiguration("ipam.tls is set but no ipam.endpoints entry is https://");
        }

        if (ipam.TokenFile is not null && endpoints.FirstOrDefault(e => e.IsPlaintextOverNetwork) is { } plaintext)
        {
            throw CniException.InvalidConfiguration($"ipam.tokenFile is set but {InputEcho.Quote(plaintext.Text)} is plaintext over the network; use https:// (or unix://, or loopback)");
        }

        if (tls is not null && (tls.Cert is null) != (tls.Key is null))
        {
            throw CniException.InvalidConfiguration("ipam.tls needs both cert and key for a client certificate, or neither");
        }

        var authorities = tls?.Ca is { } ca ? Load("ipam.tls.ca", ca, LoadBundle) : null;
        var certificate = tls?.Cert is { } cert ? Load("ipam.tls.cert", cert, c => X509Certificate2.CreateFromPemFile(c, tls.Key!)) : null;
        var token = ipam.TokenFile is { } tokenFile ? Load("ipam.tokenFile", tokenFile, ReadToken) : null;
        var description = $"tls(ca={tls?.Ca ?? "system"}, cert={tls?.Cert ?? "none"}), token={(token is null ? "none" : "from " + ipam.TokenFile)}";
        return new ClientCredentials(authorities, certificate, token, description);
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static T Load<T>(string field, string path, Func<string, T> load)
    {
        try
        {
            return load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // The exception's message names the file or the format problem, never the file's bytes.
            throw CniException.InvalidConfiguration($"{field} {InputEcho.Quote(path)} cannot be read: {e.GetType().Name}: {InputEcho.Quote(e.Message)}");
        }
    }

    private static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new ArgumentException("no PEM certificate in the file");
    }

    private static string ReadToken(string path)
    {
        using var reader = new StreamReader(path);
        var buffer = new char[MaxTokenLength + 1];
        var length = reader.ReadBlock(buffer, 0, buffer.Length);
        var token = new string(buffer, 0, length).Split('\n', 2)[0].Trim();
        // A header value: printable ASCII only (a CR or LF would split the HTTP/2 header).
        return length > MaxTokenLength || token.Length == 0 || token.Any(c => c is < '!' or > '~')
            ? throw new ArgumentException("the first line must be the token: 1-4096 printable ASCII characters")
            : token;
    }
}
