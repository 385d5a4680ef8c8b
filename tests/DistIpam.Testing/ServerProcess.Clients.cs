using System.Net.Sockets;
using Grpc.Net.Client;

namespace DistIpam.Testing;

/// <summary>Channels and HTTP clients to the server; disposed with it.</summary>
public sealed partial class ServerProcess
{
    private readonly Lock _clientsGate = new();
    private readonly List<IDisposable> _clients = [];

    /// <summary>A gRPC channel over TCP to <see cref="GrpcAddress"/>. It reconnects after a restart.</summary>
    public GrpcChannel CreateChannel() => Track(GrpcChannel.ForAddress(GrpcAddress, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) },
    }));

    /// <summary>A gRPC channel over the Unix socket at <see cref="UnixSocketPath"/>.</summary>
    public GrpcChannel CreateUnixSocketChannel()
    {
        var path = UnixSocketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // The authority is not used for routing; the connect callback decides where bytes go.
        return Track(GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true }));
    }

    /// <summary>An HTTP client for /healthz, /readyz and /metrics (base address <see cref="HttpAddress"/>).</summary>
    public HttpClient CreateHttpClient() => Track(new HttpClient { BaseAddress = HttpAddress, Timeout = TimeSpan.FromSeconds(10) });

    private T Track<T>(T client)
        where T : IDisposable
    {
        lock (_clientsGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _clients.Add(client);
        }

        return client;
    }

    private void DisposeClients()
    {
        List<IDisposable> clients;
        lock (_clientsGate)
        {
            clients = [.. _clients];
            _clients.Clear();
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
