using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

[Collection(SharedServer.Name)]
public class VersionCommandTests(ServerFixture fixture)
{
    [Theory]
    [InlineData("""{"cniVersion":"0.3.1"}""")]
    [InlineData("""{"cniVersion":"1.1.0"}""")]
    [InlineData("")]
    public async Task Version_AnyStdin_EverySupportedVersion(string stdin)
    {
        var outcome = await fixture.Plugin.RunAsync("VERSION", config: null, rawStdin: stdin);

        outcome.AssertSuccess();
        var json = outcome.Json();
        Assert.Equal("1.1.0", json["cniVersion"]!.GetValue<string>());
        Assert.Equal(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], json["supportedVersions"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("", outcome.Stderr);
    }
}
