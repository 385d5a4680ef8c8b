using DistIpam.Core.Addressing;
using DistIpam.Cni.Errors;

namespace DistIpam.Cni.Configuration;

/// <summary>
/// One entry of <c>ipam.endpoints</c>: a Unix socket (<c>unix:///abs/path</c>, gRPC over h2c on the
/// socket) or a TCP address (<c>http://host:port</c> for h2c, <c>https://host:port</c> for TLS).
/// </summary>
internal sealed record ServerEndpoint
{
    private const string UnixScheme = "unix:";

    private ServerEndpoint(string text, Uri address, string? socketPath)
    {
        Text = text;
        Address = address;
        SocketPath = socketPath;
    }

    /// <summary>The endpoint as configured (used in messages).</summary>
    public string Text { get; }

    /// <summary>The gRPC channel address (<c>http://localhost</c> for a Unix socket).</summary>
    public Uri Address { get; }

    /// <summary>The socket path of a Unix endpoint, else null.</summary>
    public string? SocketPath { get; }

    /// <summary>Parses <paramref name="text"/>; a bad value fails with code 7 naming <paramref name="field"/>.</summary>
    public static ServerEndpoint Parse(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw CniException.InvalidConfiguration($"{field} is empty; expected unix:///path or http(s)://host:port");
        }

        if (text.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase))
        {
            // unix:///abs/path (gRPC's naming) or unix:/abs/path.
            var rest = text[UnixScheme.Length..];
            var path = rest.StartsWith("//", StringComparison.Ordinal) ? rest[2..] : rest;
            if (!path.StartsWith('/') || path.Length < 2 || path.Contains('\0', StringComparison.Ordinal))
            {
                throw CniException.InvalidConfiguration($"{field} {InputEcho.Quote(text)} is not a Unix socket endpoint; expected unix:///absolute/path");
            }

            return new ServerEndpoint(text, new Uri("http://localhost"), path);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw CniException.InvalidConfiguration($"{field} {InputEcho.Quote(text)} is not an endpoint; expected unix:///path, http://host:port or https://host:port");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw CniException.InvalidConfiguration($"{field} {InputEcho.Quote(text)} must be scheme://host:port with no path, query or user");
        }

        return new ServerEndpoint(text, uri, null);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
