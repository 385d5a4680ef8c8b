using System.Text.Json.Nodes;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

[Collection(SharedServer.Name)]
public class GcCommandTests(ServerFixture fixture)
{
    [Fact]
    public async Task Gc_ValidList_ReleasesOnlyTheOthers()
    {
        var config = Config(TestIds.New("gcnet"));
        var kept = TestIds.New("keep");
        var dropped = TestIds.New("drop");
        var keptResult = await fixture.Plugin.AddAsync(config, kept);
        var droppedResult = await fixture.Plugin.AddAsync(config, dropped);

        var gc = config.DeepClone();
        gc["cni.dev/valid-attachments"] = new JsonArray(new JsonObject { ["containerID"] = kept, ["ifname"] = "eth0" });
        (await fixture.Plugin.RunAsync("GC", gc, containerId: "", ifName: "", netns: null)).AssertSuccess();

        (await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, keptResult), kept)).AssertSuccess();
        (await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, droppedResult), dropped)).AssertError(103);
    }

    [Fact]
    public async Task Gc_LegacyAttachmentsKey_Honoured()
    {
        var config = Config(TestIds.New("gcnet"));
        var kept = TestIds.New("keep");
        var keptResult = await fixture.Plugin.AddAsync(config, kept);

        var gc = config.DeepClone();
        gc["cni.dev/attachments"] = new JsonArray(new JsonObject { ["containerID"] = kept, ["ifname"] = "eth0" });
        (await fixture.Plugin.RunAsync("GC", gc)).AssertSuccess();

        (await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, keptResult), kept)).AssertSuccess();
    }

    [Fact]
    public async Task Gc_EmptyList_ReleasesEveryHandleOfTheNetworkOnly()
    {
        var network = TestIds.New("gcnet");
        var config = Config(network);
        var other = Config(TestIds.New("gcother"));
        var first = TestIds.New("c");
        var firstResult = await fixture.Plugin.AddAsync(config, first);
        var otherResult = await fixture.Plugin.AddAsync(other, first);

        var gc = config.DeepClone();
        gc["cni.dev/valid-attachments"] = new JsonArray();
        (await fixture.Plugin.RunAsync("GC", gc)).AssertSuccess();

        (await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, firstResult), first)).AssertError(103);
        (await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(other, otherResult), first)).AssertSuccess();
    }

    [Fact]
    public async Task Gc_BelowOneOne_Code1()
    {
        var gc = CniConfig.Distipam("1.0.0", "gcnet", [fixture.UnixEndpoint], "node-gc");
        gc["cni.dev/valid-attachments"] = new JsonArray();

        (await fixture.Plugin.RunAsync("GC", gc)).AssertError(1, "GC");
    }

    private JsonObject Config(string network) => CniConfig.Distipam("1.1.0", network, [fixture.UnixEndpoint], "node-gc");
}
