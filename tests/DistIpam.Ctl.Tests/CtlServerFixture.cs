namespace DistIpam.Ctl.Tests;

/// <summary>One real embedded server per test class; tests use their own handles, nodes and pools.</summary>
public sealed class CtlServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;

    /// <summary>The running server.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("the fixture is not initialized");

    /// <summary>The server's TCP endpoint, host:port.</summary>
    public string Endpoint => $"127.0.0.1:{Server.GrpcPort}";

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "ctl" });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
