using System.Text.Json;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Tests.Configuration;

public class ConfigurationValidatorTests
{
    private const string Minimal = """{"cniVersion":"1.0.0","name":"podnet","ipam":{"type":"distipam","endpoints":["unix:///run/d.sock"]}}""";

    [Fact]
    public void Validate_Minimal_Defaults()
    {
        var config = Validate(Minimal, hostName: "host-1");

        Assert.Equal("1.0.0", config.CniVersion);
        Assert.Equal("podnet", config.NetworkName);
        Assert.Equal("/run/d.sock", Assert.Single(config.Endpoints).SocketPath);
        Assert.Empty(config.Pools);
        Assert.Empty(config.Routes);
        Assert.Null(config.Dns);
        Assert.Equal("host-1", config.NodeName);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Timeout);
    }

    [Theory]
    [InlineData("from-config", "from-env", "from-config")]
    [InlineData(null, "from-env", "from-env")]
    [InlineData(null, null, "host-1")]
    public void Validate_NodeName_ConfigThenVariableThenHost(string? configured, string? variable, string expected)
    {
        var json = configured is null ? Minimal : Minimal.Replace("\"type\":\"distipam\"", $"\"type\":\"distipam\",\"nodeName\":\"{configured}\"", StringComparison.Ordinal);

        Assert.Equal(expected, Validate(json, variable, "host-1").NodeName);
    }

    [Fact]
    public void Validate_TimeoutSeconds_Applied() =>
        Assert.Equal(TimeSpan.FromSeconds(1.5), Validate(WithIpam("\"timeoutSeconds\":1.5")).Timeout);

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","ipam":{"endpoints":["unix:///x"]}}""", "name is required")]
    [InlineData("""{"cniVersion":"1.0.0","name":"pod net","ipam":{"endpoints":["unix:///x"]}}""", "name 'pod net'")]
    [InlineData("""{"cniVersion":"1.0.0","name":"podnet"}""", "ipam is required")]
    [InlineData("""{"cniVersion":"1.0.0","name":"podnet","ipam":{}}""", "ipam.endpoints is required")]
    [InlineData("""{"cniVersion":"1.0.0","name":"podnet","ipam":{"endpoints":[]}}""", "ipam.endpoints is required")]
    [InlineData("""{"cniVersion":"1.0.0","name":"podnet","ipam":{"endpoints":["unix:///x","ftp://y"]}}""", "ipam.endpoints[1]")]
    public void Validate_MissingOrBadTopLevel_Code7NamingField(string json, string expected) => AssertInvalid(json, expected);

    [Theory]
    [InlineData("\"pools\":[\"a\",\"b\",\"c\"]", "ipam.pools")]
    [InlineData("\"pools\":[\"a\",\"\"]", "ipam.pools[1]")]
    [InlineData("\"pools\":[\"a\",\"a\"]", "ipam.pools[1]")]
    [InlineData("\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"gw\":\"10.0.0.1\"}]", "ipam.routes[1].dst")]
    [InlineData("\"routes\":[{\"dst\":\"10.0.0.0\"}]", "ipam.routes[0].dst")]
    [InlineData("\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"gateway\"}]", "ipam.routes[0].gw")]
    [InlineData("\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"fd00::1\"}]", "ipam.routes[0].gw")]
    [InlineData("\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":-1}]", "ipam.routes[0].mtu")]
    [InlineData("\"dns\":{\"nameservers\":[\"10.0.0.10\",\"dns.local\"]}", "ipam.dns.nameservers[1]")]
    [InlineData("\"nodeName\":\"node/1\"", "ipam.nodeName")]
    [InlineData("\"timeoutSeconds\":0", "ipam.timeoutSeconds")]
    [InlineData("\"timeoutSeconds\":-5", "ipam.timeoutSeconds")]
    [InlineData("\"timeoutSeconds\":601", "ipam.timeoutSeconds")]
    public void Validate_BadIpamField_Code7NamingField(string ipamFields, string expected) => AssertInvalid(WithIpam(ipamFields), expected);

    [Theory]
    [InlineData("\"agent\":\"run/agent.sock\"", "ipam.agent")]
    [InlineData("\"agent\":\"\"", "ipam.agent")]
    [InlineData("\"agent\":\"/a\",\"agentFallback\":\"yes\"", "agentFallback")]
    public void Validate_BadAgentField_Code7NamingField(string ipamFields, string expected) => AssertInvalid(WithIpam(ipamFields), expected);

    [Fact]
    public void Validate_AgentWithoutFallbackOrEndpoints_Accepted()
    {
        var config = Validate("""{"cniVersion":"1.0.0","name":"podnet","ipam":{"type":"distipam","agent":"/run/distipam/agent.sock","agentFallback":false}}""");

        Assert.Equal("/run/distipam/agent.sock", config.AgentSocket);
        Assert.False(config.AgentFallback);
        Assert.Empty(config.Endpoints);
    }

    [Fact]
    public void Validate_AgentWithFallbackButNoEndpoints_Code7()
    {
        var e = Assert.Throws<CniException>(() => Validate("""{"cniVersion":"1.0.0","name":"podnet","ipam":{"type":"distipam","agent":"/run/distipam/agent.sock"}}"""));

        Assert.Contains("ipam.endpoints", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoAgent_DirectModeAsBefore()
    {
        var config = Validate(Minimal);

        Assert.Null(config.AgentSocket);
        Assert.True(config.AgentFallback);
    }

    [Fact]
    public void Validate_BadNodeVariable_Code7NamingVariable()
    {
        var e = Assert.Throws<CniException>(() => Validate(Minimal, "bad node", "host-1"));

        Assert.Equal(CniErrorCode.InvalidConfiguration, e.Code);
        Assert.Contains("DISTIPAM_NODE_NAME", e.Message, StringComparison.Ordinal);
    }

    private static string WithIpam(string fields) =>
        Minimal.Replace("\"type\":\"distipam\"", $"\"type\":\"distipam\",{fields}", StringComparison.Ordinal);

    private static void AssertInvalid(string json, string expected)
    {
        var e = Assert.Throws<CniException>(() => Validate(json));

        Assert.Equal(CniErrorCode.InvalidConfiguration, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static PluginConfiguration Validate(string json, string? nodeVariable = null, string hostName = "host")
    {
        using var document = JsonDocument.Parse(json);
        NetworkConfigDocument bound = ConfigurationReader.Bind(document.RootElement);
        return ConfigurationValidator.Validate("1.0.0", bound, nodeVariable, () => hostName);
    }
}
