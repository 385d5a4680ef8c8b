using DistIpam.Client;
using DistIpam.Core.Addressing;
using DistIpam.Cni.Errors;

namespace DistIpam.Cni.Configuration;

/// <summary>
/// One entry of <c>ipam.endpoints</c>, held as DistIpam.Client's <see cref="ClientEndpoint"/>: a Unix
/// socket (<c>unix:///abs/path</c>, gRPC over h2c on the socket) or a TCP address (<c>http://host:port</c>
/// for h2c, <c>https://host:port</c> for TLS). Stricter than the client library: no relative socket
/// path (a runtime's working directory is nobody's choice) and no bare <c>host:port</c>; a refused
/// value is code 7 quoted the safe way (docs/security.md).
/// </summary>
internal static class ConfiguredEndpoint
{
    private const string UnixScheme = "unix:";

    /// <summary>Parses <paramref name="text"/>; a bad value fails with code 7 naming <paramref name="field"/>.</summary>
    public static ClientEndpoint Parse(string field, string? text)
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

            return ClientEndpoint.Parse(text);
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw CniException.InvalidConfiguration($"{field} {InputEcho.Quote(text)} is not an endpoint; expected unix:///path, http://host:port or https://host:port");
        }

        try
        {
            return ClientEndpoint.Parse(text);
        }
        catch (FormatException)
        {
            throw CniException.InvalidConfiguration($"{field} {InputEcho.Quote(text)} must be scheme://host:port with no path, query or user");
        }
    }
}
