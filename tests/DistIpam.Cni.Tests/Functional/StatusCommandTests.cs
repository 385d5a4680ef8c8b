using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>STATUS against a server of its own, which the test kills.</summary>
public class StatusCommandTests
{
    [Fact]
    public async Task Status_ServerUpThenKilled_SuccessThenCode50()
    {
        var plugin = new PluginRunner(await PluginBinary.GetPathAsync());
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "cni-status" });
        var config = CniConfig.Distipam("1.1.0", "statusnet", [CniConfig.Unix(server.UnixSocketPath)], "node-status", timeoutSeconds: 2);

        var up = await plugin.RunAsync("STATUS", config, containerId: "", ifName: "", netns: null);
        server.Kill();
        var down = await plugin.RunAsync("STATUS", config, containerId: "", ifName: "", netns: null);
        var add = await plugin.RunAsync("ADD", config, TestIds.New("c"));

        up.AssertSuccess();
        Assert.Equal("", up.Stdout);
        down.AssertError(50, "not available");
        add.AssertError(11, "Allocate");
        Assert.True(add.Elapsed < TimeSpan.FromSeconds(5), $"ADD against a dead server must end near its 2 s deadline; {add.Describe()}");
    }

    [Fact]
    public async Task Status_NoEndpointAnswers_OneRoundOnlyLongBeforeTheDeadline()
    {
        var plugin = new PluginRunner(await PluginBinary.GetPathAsync());
        var config = CniConfig.Distipam("1.1.0", "statusnet", ["unix:///nonexistent/a.sock", "unix:///nonexistent/b.sock"], "node-status", timeoutSeconds: 30);

        var outcome = await plugin.RunAsync("STATUS", config, containerId: "", ifName: "", netns: null);

        outcome.AssertError(50, "(2 attempts)");
        Assert.True(outcome.Elapsed < TimeSpan.FromSeconds(10), $"STATUS must report the present after one round, not retry until its 30 s deadline; {outcome.Describe()}");
    }

    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    public async Task Status_BelowOneOne_Code1(string version)
    {
        var plugin = new PluginRunner(await PluginBinary.GetPathAsync());
        var config = CniConfig.Distipam(version, "statusnet", ["unix:///nonexistent/distipam.sock"], "node-status", timeoutSeconds: 1);

        (await plugin.RunAsync("STATUS", config)).AssertError(1, "STATUS");
    }
}
