using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Net.Client;

namespace DistIpam.Services.Tests.Functional;

/// <summary>
/// One real server per test class with the given extra arguments (classes run in parallel, each
/// on its own ports and data directory). Tests in a class share it, so each uses its own namespace.
/// </summary>
public class ServicesServerFixture : IAsyncLifetime
{
    private readonly string _name;
    private readonly IReadOnlyList<string> _arguments;
    private ServerProcess? _server;
    private GrpcChannel? _channel;

    /// <summary>A server with a 1 s bookmark interval.</summary>
    public ServicesServerFixture()
        : this("services", ["--DistIpam:Services:BookmarkInterval=00:00:01"])
    {
    }

    /// <summary>A server with <paramref name="arguments"/>.</summary>
    protected ServicesServerFixture(string name, IReadOnlyList<string> arguments)
    {
        _name = name;
        _arguments = arguments;
    }

    /// <summary>The running server.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>The channel of the clients.</summary>
    public GrpcChannel Channel => _channel ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>The Services client.</summary>
    public Api.V1.Services.ServicesClient Services => new(Channel);

    /// <summary>The Pools client.</summary>
    public Pools.PoolsClient Pools => new(Channel);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = _name, Arguments = _arguments });
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
