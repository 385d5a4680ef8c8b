using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>The spec's error codes as the binary prints them (stdout JSON, exit 1, logs on stderr).</summary>
[Collection(SharedServer.Name)]
public class ErrorCodeTests(ServerFixture fixture)
{
    [Fact]
    public async Task Add_MissingContainerId_Code4()
    {
        var outcome = await fixture.Plugin.RunAsync("ADD", Config(), containerId: "");

        outcome.AssertError(4, "CNI_CONTAINERID");
        Assert.Contains("distipam:", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_MissingNetns_Code4() =>
        (await fixture.Plugin.RunAsync("ADD", Config(), TestIds.New("c"), netns: null)).AssertError(4, "CNI_NETNS");

    [Fact]
    public async Task Add_NoCommand_Code4() =>
        (await fixture.Plugin.RunAsync("", Config(), TestIds.New("c"))).AssertError(4, "CNI_COMMAND");

    [Fact]
    public async Task Add_UnknownCniArgsKey_Code4() =>
        (await fixture.Plugin.RunAsync("ADD", Config(), TestIds.New("c"), cniArgs: "K8S_POD_NAME=a;COLOR=blue")).AssertError(4, "COLOR");

    [Fact]
    public async Task Add_StdinNotJson_Code6() =>
        (await fixture.Plugin.RunAsync("ADD", config: null, TestIds.New("c"), rawStdin: "{\"cniVersion\": \"1.0.0\", ")).AssertError(6);

    [Fact]
    public async Task Add_EndpointsOfWrongType_Code7NamingField()
    {
        var config = Config();
        config["ipam"]!["endpoints"] = "unix:///run/distipam.sock";

        (await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"))).AssertError(7, "ipam.endpoints");
    }

    [Fact]
    public async Task Add_BadRouteDestination_Code7NamingField()
    {
        var config = Config();
        config["ipam"]!["routes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["dst"] = "default" });

        (await fixture.Plugin.RunAsync("ADD", config, TestIds.New("c"))).AssertError(7, "ipam.routes[0].dst");
    }

    [Fact]
    public async Task Add_UnsupportedVersion_Code1() =>
        (await fixture.Plugin.RunAsync("ADD", CniConfig.Distipam("0.2.0", "errnet", [fixture.UnixEndpoint], "node-err"), TestIds.New("c"))).AssertError(1, "0.2.0");

    private System.Text.Json.Nodes.JsonObject Config() => CniConfig.Distipam("1.0.0", "errnet", [fixture.UnixEndpoint], "node-err");
}
