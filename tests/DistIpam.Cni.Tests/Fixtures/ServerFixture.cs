using DistIpam.Api.V1;
using DistIpam.Testing;

namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>
/// One real server (ServerProcess: its own data directory and free ports, default pools pods-v4 and
/// pods-v6) and the published plugin, shared by the tests of a collection.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private ServerProcess? _server;
    private PluginRunner? _plugin;

    /// <summary>The server.</summary>
    public ServerProcess Server => _server ?? throw new InvalidOperationException("the server has not started");

    /// <summary>Runs the plugin.</summary>
    public PluginRunner Plugin => _plugin ?? throw new InvalidOperationException("the plugin has not been published");

    /// <summary>The Unix socket endpoint, unix:///...</summary>
    public string UnixEndpoint => CniConfig.Unix(Server.UnixSocketPath);

    /// <summary>The TCP endpoint, http://127.0.0.1:port.</summary>
    public string TcpEndpoint => Server.GrpcAddress.ToString().TrimEnd('/');

    /// <summary>The Pools API over TCP.</summary>
    public Pools.PoolsClient Pools => new(Server.CreateChannel());

    /// <summary>The Ipam API over TCP.</summary>
    public Ipam.IpamClient Ipam => new(Server.CreateChannel());

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var publish = PluginBinary.GetPathAsync();
        // The GC verb's tests check what the runtime's valid list releases: the server releases at once
        // instead of deferring to its GC controller (the default, tested in DistIpam.Ctl.Tests GcKindsTests).
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "cni-tests", Arguments = ["--DistIpam:Gc:DeferCniGc=false"] });
        _plugin = new PluginRunner(await publish);
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
