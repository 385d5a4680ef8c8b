using System.Text.Json;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Invocation;

namespace DistIpam.Cni.Tests.Configuration;

public class RequestedAddressesTests
{
    [Fact]
    public void Resolve_NothingRequested_Empty() => Assert.Empty(Resolve(null, "{}"));

    [Fact]
    public void Resolve_CniArgsDualStackWithPrefix_BareAddresses() =>
        Assert.Equal(["10.244.0.7", "fd00::7"], Resolve("IP=10.244.0.7/26,fd00::7/122", "{}"));

    [Fact]
    public void Resolve_AllThreeSources_Merged() =>
        Assert.Equal(
            ["10.244.0.7", "fd00::7"],
            Resolve("IP=10.244.0.7", """{"args":{"cni":{"ips":["fd00::7/64"]}},"runtimeConfig":{"ips":["10.244.0.7/24"]}}"""));

    [Fact]
    public void Resolve_TwoAddressesOfOneFamily_Code7NamingBothSources()
    {
        var e = Assert.Throws<CniException>(() => Resolve("IP=10.244.0.7", """{"runtimeConfig":{"ips":["10.244.0.8"]}}"""));

        Assert.Equal(CniErrorCode.InvalidConfiguration, e.Code);
        Assert.Contains("runtimeConfig.ips[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("CNI_ARGS IP", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BadCniArgsIp_Code4() =>
        Assert.Equal(CniErrorCode.InvalidEnvironment, Assert.Throws<CniException>(() => Resolve("IP=10.244.0", "{}")).Code);

    [Theory]
    [InlineData("IP=10.244.010.5")]
    [InlineData("IP=010.244.0.5/24")]
    [InlineData("IP=10.244.0.5/024")]
    [InlineData("IP=10.244.0.5/abc")]
    [InlineData("IP=fe80::1%eth0")]
    [InlineData("IP=[fd00::1]")]
    [InlineData("IP=0x0a.244.0.5")]
    public void Resolve_NonCanonicalCniArgsIp_RefusedNotReinterpreted(string cniArgs)
    {
        // Before the one strict parser, IP=10.244.010.5 was read as octal and granted 10.244.8.5.
        var e = Assert.Throws<CniException>(() => Resolve(cniArgs, "{}"));

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("CNI_ARGS IP '" + cniArgs[3..] + "'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"runtimeConfig":{"ips":["10.244.010.5"]}}""", "runtimeConfig.ips[0]")]
    [InlineData("""{"args":{"cni":{"ips":["fd00::00005"]}}}""", "args.cni.ips[0]")]
    [InlineData("""{"args":{"cni":{"ips":["nope"]}}}""", "args.cni.ips[0]")]
    [InlineData("""{"runtimeConfig":{"ips":["10.0.0.1","10.0.0.1/99"]}}""", "runtimeConfig.ips[1]")]
    public void Resolve_BadConfigIp_Code7NamingField(string json, string field)
    {
        var e = Assert.Throws<CniException>(() => Resolve(null, json));

        Assert.Equal(CniErrorCode.InvalidConfiguration, e.Code);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Resolve(string? cniArgs, string json)
    {
        using var document = JsonDocument.Parse(json);
        return RequestedAddresses.Resolve(CniArgs.Parse(cniArgs), ConfigurationReader.Bind(document.RootElement));
    }
}
