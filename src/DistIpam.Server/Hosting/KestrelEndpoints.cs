using System.Security.Authentication;
using DistIpam.Server.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DistIpam.Server.Hosting;

/// <summary>
/// The server's listeners: gRPC on TCP (h2c, or HTTP/2 over TLS when <see cref="DistIpamOptions.Tls"/>
/// is set) and on a Unix socket, and plain HTTP; with the request size limits of the options.
/// </summary>
public static class KestrelEndpoints
{
    /// <summary>Configures Kestrel from the options; <paramref name="certificates"/> is null without TLS.</summary>
    public static void Configure(KestrelServerOptions kestrel, DistIpamOptions options, TlsCertificates? certificates)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxHeaderBytes;
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = options.MaxHeaderBytes;
        if (!string.IsNullOrEmpty(options.GrpcListen))
        {
            kestrel.Listen(ListenAddress.Parse(nameof(options.GrpcListen), options.GrpcListen), o =>
            {
                o.Protocols = HttpProtocols.Http2;
                if (certificates is not null)
                {
                    o.UseHttps(Https(options.Tls, certificates));
                }
            });
        }

        if (options.ResolvedUnixSocket is { } socket)
        {
            // The data directory lock is held, so a socket file left here is from a dead server.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socket))!);
            File.Delete(socket);
            kestrel.ListenUnixSocket(socket, o => o.Protocols = HttpProtocols.Http2);
        }

        if (!string.IsNullOrEmpty(options.HttpListen))
        {
            kestrel.Listen(ListenAddress.Parse(nameof(options.HttpListen), options.HttpListen), o => o.Protocols = HttpProtocols.Http1AndHttp2);
        }
    }

    /// <summary>Applies the configured mode, owner and group to the Unix socket once Kestrel has created it.</summary>
    public static void ApplySocketMode(DistIpamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!OperatingSystem.IsWindows() && options.ResolvedUnixSocket is { } socket && File.Exists(socket))
        {
            var mode = (UnixFileMode)Convert.ToInt32(options.UnixSocketMode, 8);
            File.SetUnixFileMode(socket, mode);
            UnixSocketOwnership.Apply(socket, options.UnixSocketOwner, options.UnixSocketGroup);
        }
    }

    private static HttpsConnectionAdapterOptions Https(TlsOptions tls, TlsCertificates certificates) => new()
    {
        // Asked at every handshake, so a rotated certificate is served without a restart.
        ServerCertificateSelector = (_, _) => certificates.ServerCertificate,
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateMode = !certificates.VerifiesClients ? ClientCertificateMode.NoCertificate
            : tls.RequireClientCertificate ? ClientCertificateMode.RequireCertificate
            : ClientCertificateMode.AllowCertificate,
        // Only the configured client CAs count; the system store's verdict (errors) is ignored.
        ClientCertificateValidation = (certificate, _, _) => certificates.IsTrustedClient(certificate),
        CheckCertificateRevocation = false,
    };
}
