using System.Text.Json;

namespace DistIpam.Cni.Tests;

public class CniPluginTests
{
    // Nothing listens here, so every call fails fast as "unreachable".
    private static readonly string DeadSocket = Path.Combine(Path.GetTempPath(), $"distipam-none-{Guid.NewGuid():N}.sock");

    [Fact]
    public async Task RunAsync_Version_ListsEverySupportedVersion()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("VERSION"), "");

        Assert.Equal(0, run.ExitCode);
        using var json = run.Json();
        Assert.Equal("1.1.0", json.RootElement.GetProperty("cniVersion").GetString());
        Assert.Equal(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], json.RootElement.GetProperty("supportedVersions").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task RunAsync_NoCommand_Code4()
    {
        var run = await InProcessRun.RunAsync(new Dictionary<string, string>(), Config("1.0.0"));

        AssertError(run, 4, "CNI_COMMAND");
    }

    [Fact]
    public async Task RunAsync_UnknownCommand_Code4() => AssertError(await InProcessRun.RunAsync(InProcessRun.Environment("FROB"), Config("1.0.0")), 4, "FROB");

    [Theory]
    [InlineData("ADD", "CNI_NETNS")]
    [InlineData("CHECK", "CNI_NETNS")]
    public async Task RunAsync_MissingNetns_Code4(string command, string variable)
    {
        var env = InProcessRun.Environment(command);
        env.Remove("CNI_NETNS");

        AssertError(await InProcessRun.RunAsync(env, Config("1.0.0")), 4, variable);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    public async Task RunAsync_EmptyContainerId_Code4(string command)
    {
        var env = InProcessRun.Environment(command);
        env["CNI_CONTAINERID"] = "";

        AssertError(await InProcessRun.RunAsync(env, Config("1.0.0")), 4, "CNI_CONTAINERID");
    }

    [Fact]
    public async Task RunAsync_DelWithoutNetns_ReachesServer()
    {
        var env = InProcessRun.Environment("DEL");
        env.Remove("CNI_NETNS");

        AssertError(await InProcessRun.RunAsync(env, Config("1.0.0")), 11, "Release");
    }

    [Fact]
    public async Task RunAsync_NotJson_Code6() => AssertError(await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), "{\"cniVersion\":"), 6, "JSON");

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("2.0.0")]
    public async Task RunAsync_UnsupportedVersion_Code1(string version) =>
        AssertError(await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), Config(version)), 1, version);

    [Fact]
    public async Task RunAsync_NoVersion_Code1()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), """{"name":"n","ipam":{"endpoints":["unix:///x"]}}""");

        AssertError(run, 1, "cniVersion is missing");
    }

    [Theory]
    [InlineData("CHECK", "0.3.0")]
    [InlineData("CHECK", "0.3.1")]
    [InlineData("GC", "1.0.0")]
    [InlineData("STATUS", "0.4.0")]
    public async Task RunAsync_VerbNewerThanVersion_Code1(string command, string version) =>
        AssertError(await InProcessRun.RunAsync(InProcessRun.Environment(command), Config(version)), 1, command);

    [Fact]
    public async Task RunAsync_VersionErrorAndShapeError_VersionWins()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("CHECK"), """{"cniVersion":"0.3.1","name":5}""");

        AssertError(run, 1, "CHECK");
    }

    [Fact]
    public async Task RunAsync_BadConfiguration_Code7NamingFieldInRequestedVersion()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), """{"cniVersion":"0.4.0","name":"n","ipam":{"endpoints":["ftp://x"]}}""");

        AssertError(run, 7, "ipam.endpoints[0]");
        using var json = run.Json();
        Assert.Equal("0.4.0", json.RootElement.GetProperty("cniVersion").GetString());
    }

    [Fact]
    public async Task RunAsync_UnknownCniArgs_Code4()
    {
        var env = InProcessRun.Environment("ADD");
        env["CNI_ARGS"] = "FOO=1";

        AssertError(await InProcessRun.RunAsync(env, Config("1.0.0")), 4, "FOO");
    }

    [Theory]
    [InlineData("ADD", "Allocate")]
    [InlineData("DEL", "Release")]
    [InlineData("GC", "GarbageCollect")]
    public async Task RunAsync_ServerUnreachable_Code11NamingEndpoint(string command, string operation)
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment(command), Config("1.1.0", extraTop: "\"cni.dev/valid-attachments\":[],"));

        AssertError(run, 11, operation);
        Assert.Contains(DeadSocket, run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CheckUnreachable_Code11()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("CHECK"), Config("1.0.0", extraTop: "\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.0.0.5/24\"}]},"));

        AssertError(run, 11, "Check");
    }

    [Fact]
    public async Task RunAsync_StatusUnreachable_Code50() => AssertError(await InProcessRun.RunAsync(InProcessRun.Environment("STATUS"), Config("1.1.0")), 50, "not available");

    [Fact]
    public async Task RunAsync_CheckWithoutPrevResult_Code7() => AssertError(await InProcessRun.RunAsync(InProcessRun.Environment("CHECK"), Config("1.0.0")), 7, "prevResult");

    [Fact]
    public async Task RunAsync_GcWithoutValidAttachments_Code7() =>
        AssertError(await InProcessRun.RunAsync(InProcessRun.Environment("GC"), Config("1.1.0")), 7, "cni.dev/valid-attachments");

    [Fact]
    public async Task RunAsync_GcAttachmentWithoutIfname_Code7NamingEntry()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("GC"), Config("1.1.0", extraTop: "\"cni.dev/attachments\":[{\"containerID\":\"c\"}],"));

        AssertError(run, 7, "cni.dev/attachments[0].ifname");
    }

    private static string Config(string version, string extraTop = "") =>
        "{" + extraTop + $"\"cniVersion\":\"{version}\",\"name\":\"podnet\","
        + $"\"ipam\":{{\"type\":\"distipam\",\"endpoints\":[\"unix://{DeadSocket}\"],\"timeoutSeconds\":0.3}}}}";

    private static void AssertError(InProcessRun run, int code, string messagePart) => run.AssertError(code, messagePart);
}
