using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace DistIpam.Client;

/// <summary>Creates a gRPC channel for an endpoint: h2c over a Unix socket or TCP, or HTTP/2 over TLS.</summary>
internal static class ClientChannelFactory
{
    /// <summary>A channel to <paramref name="endpoint"/> with the TLS settings of <paramref name="options"/>.</summary>
    public static GrpcChannel Create(ClientEndpoint endpoint, DistIpamClientOptions options, X509Certificate2? clientCertificate, X509Certificate2Collection? trustedRoots)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            // Proxy settings of a node must never capture traffic to the IPAM server.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // A watch and unary calls share a connection; keep it alive through idle periods.
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        };

        if (endpoint.SocketPath is { } path)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(path, cancellationToken);
        }

        if (endpoint.IsTls)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = trustedRoots is null ? null : (_, certificate, _, errors) => TrustedByRoots(certificate, errors, trustedRoots),
            };
        }

        return GrpcChannel.ForAddress(endpoint.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
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
            // The default message names neither the path nor the likely cause.
            var reason = File.Exists(path) ? e.Message : "no such socket (is the DistIpam server running?)";
            throw new IOException($"cannot connect to Unix socket {path}: {reason}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Name checks stay as the platform does them; only the chain is judged against the given roots.</summary>
    private static bool TrustedByRoots(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
