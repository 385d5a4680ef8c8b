using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;
using Grpc.Core;

namespace DistIpam.Cni.Tests.Functional;

[Collection(SharedServer.Name)]
public class DelCommandTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public async Task Del_AfterAdd_ReleasesAndSecondDelSucceeds(string version)
    {
        var config = CniConfig.Distipam(version, "delnet", [fixture.UnixEndpoint], "node-del");
        var container = TestIds.New("c");
        await fixture.Plugin.AddAsync(config, container);

        var first = await fixture.Plugin.RunAsync("DEL", config, container);
        var second = await fixture.Plugin.RunAsync("DEL", config, container);

        first.AssertSuccess();
        second.AssertSuccess();
        Assert.Equal("", first.Stdout);
        var e = await Assert.ThrowsAsync<RpcException>(async () => await fixture.Ipam.CheckAsync(new CheckRequest
        {
            Handle = new Handle { Network = "delnet", ContainerId = container, Interface = "eth0" },
        }));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task Del_UnknownHandle_Succeeds()
    {
        var config = CniConfig.Distipam("1.0.0", "delnet", [fixture.UnixEndpoint], "node-del");

        (await fixture.Plugin.RunAsync("DEL", config, TestIds.New("never-added"))).AssertSuccess();
    }

    [Fact]
    public async Task Del_WithoutNetnsOrPrevResult_Succeeds()
    {
        var config = CniConfig.Distipam("1.0.0", "delnet", [fixture.UnixEndpoint], "node-del");
        var container = TestIds.New("c");
        await fixture.Plugin.AddAsync(config, container);

        var outcome = await fixture.Plugin.RunAsync("DEL", config, container, netns: null);

        outcome.AssertSuccess();
    }

    [Fact]
    public async Task Del_ThenAdd_HandleGetsAddressesAgain()
    {
        var config = CniConfig.Distipam("1.0.0", "delnet", [fixture.UnixEndpoint], "node-del");
        var container = TestIds.New("c");
        await fixture.Plugin.AddAsync(config, container);
        (await fixture.Plugin.RunAsync("DEL", config, container)).AssertSuccess();

        var again = await fixture.Plugin.AddAsync(config, container);

        Assert.Equal(2, PluginRunner.Addresses(again).Count);
    }
}
