using System.Net;
using DistIpam.Api.V1;
using DistIpam.Testing;

namespace DistIpam.Server.Tests;

/// <summary>The test harness itself: the server starts, stops, dies and comes back as the other tests assume.</summary>
public sealed class ServerProcessTests
{
    [Fact]
    public async Task StartAsync_DefaultOptions_ReadyOnOwnPortsAndDataDirectory()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = nameof(ServerProcessTests) });

        Assert.NotEqual(50051, server.GrpcPort);
        Assert.True(File.Exists(Path.Combine(server.DataDir, "distipam.lock")), $"no lock file in {server.DataDir}");
        Assert.True(File.Exists(server.UnixSocketPath), $"no socket at {server.UnixSocketPath}");
        using var http = server.CreateHttpClient();
        using var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var status = await new Ipam.IpamClient(server.CreateChannel()).StatusAsync(new StatusRequest());
        Assert.True(status.Ready, status.Message);
    }

    [Fact]
    public async Task StopAsync_Running_ExitsGracefullyWithZero()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = nameof(ServerProcessTests) });

        var code = await server.StopAsync();

        Assert.Equal(0, code);
        Assert.True(server.HasExited);
    }

    [Fact]
    public async Task RestartAsync_AfterKill_ServesFromSameDataDirectoryAndPorts()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = nameof(ServerProcessTests) });
        var ipam = new Ipam.IpamClient(server.CreateChannel());
        var handle = new Handle { Network = "net", ContainerId = "restart-" + Guid.NewGuid().ToString("N"), Interface = "eth0" };
        var before = await ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = "node-a" });
        var pid = server.ProcessId;
        var port = server.GrpcPort;

        server.Kill();
        Assert.True(server.HasExited);
        await server.RestartAsync();

        Assert.NotEqual(pid, server.ProcessId);
        Assert.Equal(port, server.GrpcPort);
        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(before.Addresses.Select(a => a.Address));
        var after = await ipam.CheckAsync(check);
        Assert.Equal(before.Addresses.Select(a => a.Address), after.Addresses.Select(a => a.Address));
    }

    [Fact]
    public async Task DisposeAsync_OwnDataDirectory_KillsProcessAndDeletesDirectory()
    {
        var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = nameof(ServerProcessTests) });
        var directory = server.DataDir;

        await server.DisposeAsync();

        Assert.True(server.HasExited);
        Assert.False(Directory.Exists(directory), $"{directory} still exists");
    }
}
