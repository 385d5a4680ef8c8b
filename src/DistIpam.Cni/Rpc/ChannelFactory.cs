using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using DistIpam.Cni.Configuration;
using Grpc.Net.Client;

namespace DistIpam.Cni.Rpc;

/// <summary>Creates a gRPC channel for an endpoint: h2c over a Unix socket or TCP, or HTTP/2 over TLS.</summary>
internal static class ChannelFactory
{
    /// <summary>A channel to <paramref name="endpoint"/> whose connection attempts give up after <paramref name="connectTimeout"/>.</summary>
    public static GrpcChannel Create(ServerEndpoint endpoint, TimeSpan connectTimeout, ClientCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            // A node's HTTP proxy settings must never capture the plugin's traffic to the IPAM server.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            EnableMultipleHttp2Connections = false,
        };

        if (credentials is not null && endpoint.Address.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = credentials.Certificate is { } certificate ? new X509CertificateCollection { certificate } : null,
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    certificate is not null && credentials.IsTrustedServer(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), errors),
            };
        }

        if (endpoint.SocketPath is { } path)
        {
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    // The default message ("Cannot assign requested address (localhost:80)") names neither the path nor the cause.
                    var reason = File.Exists(path) ? e.Message : "no such socket (is the DistIpam server running?)";
                    throw new IOException($"cannot connect to Unix socket {path}: {reason}", e);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
        });
    }
}
