using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Net.Client;

namespace DistIpam.Server.Tests;

/// <summary>
/// One real server per test class (classes run in parallel, each on its own ports and data
/// directory). Tests in a class share it, so each uses its own handles, nodes and pools.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;
    private GrpcChannel? _channel;

    /// <summary>The running server.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>The Ipam client over TCP.</summary>
    public Ipam.IpamClient Ipam => new(_channel ?? throw new InvalidOperationException("the fixture is not initialized"));

    /// <summary>The Pools client over TCP.</summary>
    public Pools.PoolsClient Pools => new(_channel ?? throw new InvalidOperationException("the fixture is not initialized"));

    /// <summary>The channel both clients use.</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "fixture" });
        _channel = _server.CreateChannel();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
