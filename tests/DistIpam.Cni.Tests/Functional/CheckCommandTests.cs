using System.Text.Json.Nodes;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

[Collection(SharedServer.Name)]
public class CheckCommandTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Check_PrevResultOfAdd_Succeeds(string version)
    {
        var config = Config(version);
        var container = TestIds.New("c");
        var result = await fixture.Plugin.AddAsync(config, container);

        var outcome = await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, result), container);

        outcome.AssertSuccess();
        Assert.Equal("", outcome.Stdout);
    }

    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    public async Task Check_BelowZeroFour_Code1(string version)
    {
        var config = Config(version);
        var container = TestIds.New("c");
        var result = await fixture.Plugin.AddAsync(config, container);

        var outcome = await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, result), container);

        outcome.AssertError(1, "CHECK");
    }

    [Fact]
    public async Task Check_OtherAddressesThanHeld_Code104()
    {
        var config = Config("1.0.0");
        var container = TestIds.New("c");
        var result = await fixture.Plugin.AddAsync(config, container);
        var wrong = result.DeepClone();
        wrong["ips"]![0]!["address"] = "10.244.255.254/26";

        var outcome = await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, wrong), container);

        outcome.AssertError(104, "10.244.255.254");
    }

    [Fact]
    public async Task Check_AfterDel_Code103()
    {
        var config = Config("1.0.0");
        var container = TestIds.New("c");
        var result = await fixture.Plugin.AddAsync(config, container);
        (await fixture.Plugin.RunAsync("DEL", config, container)).AssertSuccess();

        var outcome = await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, result), container);

        outcome.AssertError(103);
    }

    [Fact]
    public async Task Check_WithoutPrevResult_Code7()
    {
        var outcome = await fixture.Plugin.RunAsync("CHECK", Config("1.0.0"), TestIds.New("c"));

        outcome.AssertError(7, "prevResult");
    }

    private JsonObject Config(string version) => CniConfig.Distipam(version, "checknet", [fixture.UnixEndpoint], "node-check");
}
