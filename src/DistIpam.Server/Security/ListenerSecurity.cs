using System.Net;
using DistIpam.Server.Hosting;

namespace DistIpam.Server.Security;

/// <summary>
/// The start-up rules of docs/security.md: a gRPC listener others can reach needs TLS and
/// authentication (or an explicit <see cref="DistIpamOptions.AllowInsecure"/>); settings that
/// cannot work are refused before anything listens.
/// </summary>
public static class ListenerSecurity
{
    /// <summary>Why the server must not start with <paramref name="options"/>, or null.</summary>
    public static string? Refusal(DistIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tls = options.Tls;
        var auth = options.Auth;
        if (tls.Enabled != (!string.IsNullOrWhiteSpace(tls.CertificateFile) || !string.IsNullOrWhiteSpace(tls.KeyFile)))
        {
            return "DistIpam:Tls needs both CertificateFile and KeyFile";
        }

        if (!tls.Enabled && !string.IsNullOrWhiteSpace(tls.ClientCaFile))
        {
            return "DistIpam:Tls:ClientCaFile needs a server certificate (CertificateFile and KeyFile)";
        }

        if (auth.Enabled && string.IsNullOrWhiteSpace(auth.TokensFile) && string.IsNullOrWhiteSpace(tls.ClientCaFile))
        {
            return "DistIpam:Auth:Enabled needs a way to authenticate: Auth:TokensFile and/or Tls:ClientCaFile";
        }

        if (!string.IsNullOrEmpty(options.GrpcListen) && !IsLoopback(options.GrpcListen) && !(tls.Enabled && auth.Enabled) && !options.AllowInsecure)
        {
            return $"DistIpam:GrpcListen '{options.GrpcListen}' is not a loopback address: anyone who reaches it could free every address. "
                + "Configure DistIpam:Tls and DistIpam:Auth (docs/security.md), or set DistIpam:AllowInsecure=true to accept that";
        }

        return null;
    }

    /// <summary>Whether the gRPC listener answers unauthenticated callers (logged once at start).</summary>
    public static bool IsOpen(DistIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !string.IsNullOrEmpty(options.GrpcListen) && !options.Auth.Enabled;
    }

    private static bool IsLoopback(string listen) =>
        string.IsNullOrEmpty(listen) || IPAddress.IsLoopback(ListenAddress.Parse(nameof(DistIpamOptions.GrpcListen), listen).Address);
}
