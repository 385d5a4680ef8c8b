using System.Text.Json.Nodes;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>deploy/cni/install.sh: idempotent install of the binary and a conflist that works.</summary>
[Collection(SharedServer.Name)]
public sealed class InstallScriptTests(ServerFixture fixture) : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("distipam-install-");

    [Fact]
    public async Task Install_Twice_SecondRunChangesNothing()
    {
        var first = await InstallAsync("--node-name", "node-install");
        var binary = Path.Combine(_root.FullName, "bin", "distipam");
        var conflist = Path.Combine(_root.FullName, "net.d", "10-distipam.conflist");
        var stamps = (File.GetLastWriteTimeUtc(binary), File.GetLastWriteTimeUtc(conflist));

        var second = await InstallAsync("--node-name", "node-install");

        Assert.Contains($"installed {binary}", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($"installed {conflist}", first.Stdout, StringComparison.Ordinal);
        Assert.Contains($"unchanged {binary}", second.Stdout, StringComparison.Ordinal);
        Assert.Contains($"unchanged {conflist}", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(stamps, (File.GetLastWriteTimeUtc(binary), File.GetLastWriteTimeUtc(conflist)));
        Assert.Equal(await File.ReadAllBytesAsync(fixture.Plugin.PluginPath), await File.ReadAllBytesAsync(binary));
    }

    [Theory]
    [InlineData("bridge")]
    [InlineData("ptp")]
    public async Task Install_Conflist_DrivesTheInstalledPlugin(string plugin)
    {
        await InstallAsync("--plugin", plugin, "--node-name", "node-install", "--pools", "pods-v4,pods-v6");
        var conflist = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_root.FullName, "net.d", "10-distipam.conflist")))!;
        var main = conflist["plugins"]![0]!.DeepClone();
        // A runtime hands each plugin of a list its own object plus the list's name and cniVersion.
        main["name"] = conflist["name"]!.GetValue<string>();
        main["cniVersion"] = conflist["cniVersion"]!.GetValue<string>();

        var installed = new PluginRunner(Path.Combine(_root.FullName, "bin", "distipam"));
        var outcome = await installed.RunAsync("ADD", main, TestIds.New("c"));

        Assert.Equal(plugin, main["type"]!.GetValue<string>());
        Assert.Equal(2, PluginRunner.Addresses(outcome.AssertSuccess().Json()).Count);
    }

    [Theory]
    [InlineData("--network", "pod\"net")]
    [InlineData("--plugin", "macvlan")]
    [InlineData("--endpoints", "unix:///a.sock,")]
    [InlineData("--timeout", "0")]
    [InlineData("--cni-version", "0.2.0")]
    public async Task Install_BadOption_FailsNamingIt(string option, string value)
    {
        var outcome = await RunScriptAsync("--binary", fixture.Plugin.PluginPath, "--bin-dir", Path.Combine(_root.FullName, "bin"), "--conf-dir", Path.Combine(_root.FullName, "net.d"), option, value);

        Assert.True(outcome.ExitCode != 0, outcome.Describe());
        Assert.Contains(option, outcome.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root.FullName, "net.d")), "nothing may be written after a refused option");
    }

    public void Dispose() => _root.Delete(recursive: true);

    private async Task<ProcessOutcome> InstallAsync(params string[] options)
    {
        var outcome = await RunScriptAsync(
            ["--binary", fixture.Plugin.PluginPath, "--bin-dir", Path.Combine(_root.FullName, "bin"), "--conf-dir", Path.Combine(_root.FullName, "net.d"), "--endpoints", fixture.UnixEndpoint, .. options]);
        return outcome.AssertSuccess();
    }

    private static Task<ProcessOutcome> RunScriptAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("bash", [Path.Combine(RepositoryLayout.Root, "deploy", "cni", "install.sh"), .. arguments], new Dictionary<string, string?>(), null, TimeSpan.FromSeconds(60));
}
