using DistIpam.Api.V1;
using DistIpam.Testing;

namespace DistIpam.Server.Tests;

/// <summary>Start-up refusals: a data directory already in use, and bootstrap pools that contradict stored state.</summary>
public sealed class ServerStartupTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_SecondServerOnSameDataDirectory_ExitsNonZeroNamingDirectory()
    {
        await using var first = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "startup-first" });

        await using var second = ServerProcess.Launch(new ServerProcessOptions { Name = "startup-second", DataDir = first.DataDir });
        var code = await second.WaitForExitAsync(ExitTimeout);

        // docs/operations.md: exit code 2 when the data directory is in use.
        Assert.True(code == 2, $"expected exit code 2, saw {code}; output:\n{second.LogTail()}");
        Assert.Contains(first.DataDir, second.LogTail(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(first.DataDir), $"{first.DataDir} was removed by the refused server");
        var status = await new Ipam.IpamClient(first.CreateChannel()).StatusAsync(new StatusRequest());
        Assert.True(status.Ready, $"the first server stopped serving: {status.Message}");
    }

    [Fact]
    public async Task Restart_BootstrapCidrDiffersFromStoredPool_ExitsNonZeroNamingPoolAndBothCidrs()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "startup-conflict" });
        await server.StopAsync();

        await server.RestartAsync(["--DistIpam:Pools:0:Cidr=10.245.0.0/16"], waitUntilReady: false);
        var code = await server.WaitForExitAsync(ExitTimeout);

        var output = server.LogTail(200);
        // docs/operations.md: exit code 3 when a bootstrap pool conflicts with stored state.
        Assert.True(code == 3, $"expected exit code 3, saw {code}; output:\n{output}");
        foreach (var mention in new[] { "pods-v4", "10.244.0.0/16", "10.245.0.0/16" })
        {
            Assert.True(output.Contains(mention, StringComparison.Ordinal), $"expected the output to name '{mention}'; output:\n{output}");
        }
    }

    [Fact]
    public async Task Restart_SameConfiguration_KeepsPoolsAndAllocations()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "startup-restart" });
        var ipam = new Ipam.IpamClient(server.CreateChannel());
        var handle = TestHandles.New();
        var held = await ipam.AllocateAsync(TestHandles.Allocate(handle, "node-a"));
        var exit = await server.StopAsync();

        await server.RestartAsync();

        Assert.Equal(0, exit);
        var checkedAfter = await ipam.CheckAsync(TestHandles.Check(handle, held.Addresses.Select(a => a.Address)));
        Assert.Equal(held.Addresses.Select(a => a.Sequence), checkedAfter.Addresses.Select(a => a.Sequence));
        var again = await ipam.AllocateAsync(TestHandles.Allocate(handle, "node-a"));
        Assert.Equal(held.Addresses.Select(a => a.Address), again.Addresses.Select(a => a.Address));
    }
}
