using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Connections.Features;

namespace DistIpam.Server.Security;

/// <summary>
/// Who is calling: the Unix socket (its file permissions authenticated the peer), a client
/// certificate Kestrel verified against the client CAs, or a bearer token from the tokens file.
/// </summary>
public sealed class IdentityResolver
{
    private const string BearerPrefix = "Bearer ";
    private readonly AuthOptions _options;
    private readonly ReloadingFile<TokenTable>? _tokens;
    private readonly CallerIdentity? _unixSocket;

    /// <summary>Reads the tokens file now (a malformed one is a start-up error).</summary>
    public IdentityResolver(AuthOptions options, Action<string, Exception>? reloadFailed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        if (!string.IsNullOrWhiteSpace(options.TokensFile))
        {
            var path = options.TokensFile;
            _tokens = new ReloadingFile<TokenTable>([path], () => TokenTable.Load(path), e => reloadFailed?.Invoke(path, e));
        }

        _unixSocket = options.UnixSocketRole.ToLowerInvariant() switch
        {
            "admin" => new CallerIdentity("unix-socket", CallerRole.Admin, "unix-socket"),
            "reader" => new CallerIdentity("unix-socket", CallerRole.Reader, "unix-socket"),
            "none" => null,
            _ => throw new InvalidOperationException($"DistIpam:Auth:UnixSocketRole '{options.UnixSocketRole}' must be admin, reader or none"),
        };
    }

    /// <summary>Whether authentication is on.</summary>
    public bool Enabled => _options.Enabled;

    /// <summary>The caller of <paramref name="context"/>, or null when it is not authenticated.</summary>
    public CallerIdentity? Resolve(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        if (http.Features.Get<IConnectionEndPointFeature>()?.LocalEndPoint is UnixDomainSocketEndPoint)
        {
            return _unixSocket;
        }

        // Kestrel only lets a certificate through that IsTrustedClient accepted.
        if (http.Connection.ClientCertificate is { } certificate && FromCertificate(certificate) is { } fromCertificate)
        {
            return fromCertificate;
        }

        var authorization = context.RequestHeaders.GetValue("authorization");
        if (_tokens is not null && authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return _tokens.Current.Find(authorization[BearerPrefix.Length..].Trim());
        }

        return null;
    }

    /// <summary>The identity a certificate's CN or DNS names map to, or null.</summary>
    public CallerIdentity? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var name in Names(certificate))
        {
            if (_options.Admins.Contains(name, StringComparer.Ordinal))
            {
                return new CallerIdentity(name, CallerRole.Admin, "certificate");
            }

            if (_options.Readers.Contains(name, StringComparer.Ordinal))
            {
                return new CallerIdentity(name, CallerRole.Reader, "certificate");
            }

            if (_options.NodeNamePrefix.Length > 0 && name.StartsWith(_options.NodeNamePrefix, StringComparison.Ordinal) && name.Length > _options.NodeNamePrefix.Length)
            {
                return new CallerIdentity(name[_options.NodeNamePrefix.Length..], CallerRole.Node, "certificate");
            }
        }

        return null;
    }

    private static IEnumerable<string> Names(X509Certificate2 certificate)
    {
        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (!string.IsNullOrEmpty(commonName))
        {
            yield return commonName;
        }

        foreach (var extension in certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>())
        {
            foreach (var dns in extension.EnumerateDnsNames())
            {
                yield return dns;
            }
        }
    }
}
