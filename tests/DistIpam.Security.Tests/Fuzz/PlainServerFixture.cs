namespace DistIpam.Security.Tests.Fuzz;

/// <summary>A server with the embedded defaults (authentication off), for the gRPC fuzz suite.</summary>
public sealed class PlainServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    /// <summary>The server.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("the server has not started");

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "grpc-fuzz" });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
