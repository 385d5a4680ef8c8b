using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace DistIpam.Security.Tests;

/// <summary>gRPC channels to a TLS server that trust only the test CA, with an optional client certificate or token.</summary>
public static class SecureChannels
{
    /// <summary>A call invoker for https://127.0.0.1:<paramref name="port"/>.</summary>
    public static CallInvoker Create(int port, X509Certificate2 authority, X509Certificate2? client = null, string? token = null, Action<X509Certificate2>? seen = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = client is null ? null : new X509CertificateCollection { client },
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    seen?.Invoke(presented);
                    return ChainsTo(presented, authority);
                },
            },
        };
        var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        var invoker = channel.CreateCallInvoker();
        return token is null ? invoker : invoker.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + token);
            return metadata;
        });
    }

    /// <summary>Whether <paramref name="certificate"/> was issued by <paramref name="authority"/>.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
