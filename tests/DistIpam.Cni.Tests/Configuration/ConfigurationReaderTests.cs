using System.Text;
using System.Text.Json;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;

namespace DistIpam.Cni.Tests.Configuration;

public class ConfigurationReaderTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  \n")]
    [InlineData("{")]
    [InlineData("{\"cniVersion\": }")]
    [InlineData("not json")]
    [InlineData("{\"a\":1} trailing")]
    public void Parse_NotJson_Code6(string stdin)
    {
        var e = Assert.Throws<CniException>(() => ConfigurationReader.Parse(Encoding.UTF8.GetBytes(stdin)));

        Assert.Equal(CniErrorCode.DecodingFailure, e.Code);
    }

    [Theory]
    [InlineData("{\"cniVersion\":\"1.0.0\"}", "1.0.0")]
    [InlineData("{\"CNIVersion\":\"0.4.0\"}", "0.4.0")]
    [InlineData("{\"cniVersion\":\"\"}", null)]
    [InlineData("{\"cniVersion\":null}", null)]
    [InlineData("{\"name\":\"x\"}", null)]
    public void ReadVersion_Object_VersionOrNull(string json, string? expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, ConfigurationReader.ReadVersion(document.RootElement));
    }

    [Theory]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"cniVersion\":1}", "cniVersion must be a string")]
    public void ReadVersion_WrongShape_Code7(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        var e = Assert.Throws<CniException>(() => ConfigurationReader.ReadVersion(document.RootElement));

        Assert.Equal(CniErrorCode.InvalidConfiguration, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"ipam\":{\"endpoints\":[1]}}", "ipam.endpoints[0]")]
    [InlineData("{\"ipam\":{\"endpoints\":\"unix:///x\"}}", "ipam.endpoints")]
    [InlineData("{\"ipam\":{\"timeoutSeconds\":\"30\"}}", "ipam.timeoutSeconds")]
    [InlineData("{\"ipam\":{\"routes\":[{\"dst\":5}]}}", "ipam.routes[0].dst")]
    [InlineData("{\"ipam\":\"distipam\"}", "ipam")]
    [InlineData("{\"runtimeConfig\":{\"ips\":[true]}}", "runtimeConfig.ips[0]")]
    [InlineData("{\"cni.dev/valid-attachments\":[{\"containerID\":7}]}", "cni.dev/valid-attachments")]
    public void Bind_WrongType_Code7NamingField(string json, string field)
    {
        using var document = JsonDocument.Parse(json);

        var e = Assert.Throws<CniException>(() => ConfigurationReader.Bind(document.RootElement));

        Assert.Equal(CniErrorCode.InvalidConfiguration, e.Code);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NamesInAnyCaseAndRepeated_LastOneRead()
    {
        using var document = JsonDocument.Parse("""{"NAME":"a","Ipam":{"ENDPOINTS":["unix:///x"],"TimeoutSeconds":2},"name":"b","unknown":{"x":[1]}}""");

        var config = ConfigurationReader.Bind(document.RootElement);

        Assert.Equal("b", config.Name);
        Assert.Equal("unix:///x", Assert.Single(config.Ipam!.Endpoints!));
        Assert.Equal(2, config.Ipam.TimeoutSeconds);
    }

    [Theory]
    [InlineData("{\"ipam\":{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":1.5}]}}", "Path: $.ipam.routes[0].mtu.")]
    [InlineData("{\"cni.dev/valid-attachments\":[{\"containerID\":7}]}", "Path: $['cni.dev/valid-attachments'][0].containerID.")]
    public void Bind_WrongType_DetailsGiveTheJsonPath(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        var e = Assert.Throws<CniException>(() => ConfigurationReader.Bind(document.RootElement));

        Assert.EndsWith(expected, e.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FullConfiguration_EveryFieldRead()
    {
        const string Json = """
            {
              "cniVersion": "1.1.0", "name": "podnet", "type": "bridge", "bridge": "cni0", "isGateway": true,
              "ipam": {
                "type": "distipam", "endpoints": ["unix:///run/d.sock", "http://10.0.0.10:50051"],
                "pools": ["pods-v4", "pods-v6"], "nodeName": "node-1", "timeoutSeconds": 5,
                "routes": [{ "dst": "0.0.0.0/0" }, { "dst": "::/0", "gw": "fd00::1", "mtu": 1400 }],
                "dns": { "nameservers": ["10.96.0.10"], "search": ["svc.cluster.local"] }
              },
              "runtimeConfig": { "ips": ["10.244.0.9/24"] },
              "args": { "cni": { "ips": ["fd00::9"] } },
              "prevResult": { "cniVersion": "1.1.0", "ips": [{ "address": "10.244.0.9/26", "gateway": "10.244.0.1", "interface": 2 }] },
              "cni.dev/valid-attachments": [{ "containerID": "c1", "ifname": "eth0" }],
              "cni.dev/attachments": [{ "containerID": "c2", "ifname": "net1" }]
            }
            """;
        using var document = JsonDocument.Parse(Json);

        var config = ConfigurationReader.Bind(document.RootElement);

        Assert.Equal("podnet", config.Name);
        Assert.Equal("bridge", config.Type);
        Assert.Equal(["unix:///run/d.sock", "http://10.0.0.10:50051"], config.Ipam!.Endpoints!);
        Assert.Equal(["pods-v4", "pods-v6"], config.Ipam.Pools!);
        Assert.Equal("node-1", config.Ipam.NodeName);
        Assert.Equal(5, config.Ipam.TimeoutSeconds);
        Assert.Equal(1400, config.Ipam.Routes![1].Mtu);
        Assert.Equal("10.96.0.10", Assert.Single(config.Ipam.Dns!.Nameservers!));
        Assert.Equal("10.244.0.9/24", Assert.Single(config.RuntimeConfig!.Ips!));
        Assert.Equal("fd00::9", Assert.Single(config.Args!.Cni!.Ips!));
        Assert.Equal(2, Assert.Single(config.PrevResult!.Ips!).Interface);
        Assert.Equal("c1", Assert.Single(config.ValidAttachments!).ContainerId);
        Assert.Equal("net1", Assert.Single(config.Attachments!).IfName);
    }

    [Theory]
    [InlineData(null, "the network configuration")]
    [InlineData("$", "the network configuration")]
    [InlineData("$.ipam.pools[1]", "ipam.pools[1]")]
    [InlineData("$['cni.dev/valid-attachments'][0]", "['cni.dev/valid-attachments'][0]")]
    public void FieldOf_JsonPath_FieldName(string? path, string expected) => Assert.Equal(expected, ConfigurationReader.FieldOf(path));
}
