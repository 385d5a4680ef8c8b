namespace DistIpam.Client;

/// <summary>
/// One server address: <c>unix:///path/to.sock</c> (or <c>unix:relative.sock</c>), <c>http://host:port</c>
/// (h2c), <c>https://host:port</c> (TLS), or a bare <c>host:port</c> (h2c).
/// </summary>
public sealed record ClientEndpoint
{
    private ClientEndpoint(string text, Uri address, string? socketPath)
    {
        Text = text;
        Address = address;
        SocketPath = socketPath;
    }

    /// <summary>The endpoint as given.</summary>
    public string Text { get; }

    /// <summary>The HTTP address of the channel (<c>http://localhost</c> for a Unix socket).</summary>
    public Uri Address { get; }

    /// <summary>The Unix socket path, or null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>Whether the channel uses TLS.</summary>
    public bool IsTls => Address.Scheme == Uri.UriSchemeHttps;

    /// <summary>Whether bytes cross a network in clear text: TCP without TLS to a host that is not loopback (a bearer token must not).</summary>
    public bool IsPlaintextOverNetwork =>
        SocketPath is null
        && !IsTls
        && !Address.IsLoopback
        && !(System.Net.IPAddress.TryParse(Address.DnsSafeHost, out var address) && System.Net.IPAddress.IsLoopback(address));

    /// <summary>Parses an endpoint; <see cref="FormatException"/> naming the text when it is none of the forms.</summary>
    public static ClientEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed["unix:".Length..];
            path = path.StartsWith("//", StringComparison.Ordinal) ? path[2..] : path;
            if (path.Length == 0)
            {
                throw new FormatException($"endpoint '{text}' names no socket path");
            }

            // The authority is not used for routing: the connect callback decides where bytes go.
            return new ClientEndpoint(trimmed, new Uri("http://localhost"), Path.GetFullPath(path));
        }

        var withScheme = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "http://" + trimmed;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath != "/"
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            throw new FormatException($"endpoint '{text}' is not unix:///path, http://host:port, https://host:port or host:port (no path, query or user)");
        }

        return new ClientEndpoint(trimmed, uri, null);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
