using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;

namespace DistIpam.Cni.Tests.Configuration;

public class ConfiguredEndpointTests
{
    [Theory]
    [InlineData("unix:///run/distipam/distipam.sock", "/run/distipam/distipam.sock")]
    [InlineData("unix:/run/distipam.sock", "/run/distipam.sock")]
    [InlineData("UNIX:///tmp/x.sock", "/tmp/x.sock")]
    public void Parse_UnixSocket_PathAndLocalhostAddress(string text, string path)
    {
        var endpoint = ConfiguredEndpoint.Parse("ipam.endpoints[0]", text);

        Assert.Equal(path, endpoint.SocketPath);
        Assert.Equal(new Uri("http://localhost"), endpoint.Address);
        Assert.Equal(text, endpoint.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:50051")]
    [InlineData("http://[::1]:50051")]
    [InlineData("https://ipam.example:443")]
    [InlineData("http://ipam.kube-system.svc:50051/")]
    public void Parse_TcpEndpoint_AddressWithoutSocket(string text)
    {
        var endpoint = ConfiguredEndpoint.Parse("ipam.endpoints[0]", text);

        Assert.Null(endpoint.SocketPath);
        Assert.Equal(new Uri(text), endpoint.Address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("unix://relative.sock")]
    [InlineData("unix://")]
    [InlineData("unix:///")]
    [InlineData("tcp://127.0.0.1:50051")]
    [InlineData("127.0.0.1:50051")]
    [InlineData("http://127.0.0.1:50051/grpc")]
    [InlineData("http://127.0.0.1:50051?x=1")]
    [InlineData("http://user@127.0.0.1:50051")]
    public void Parse_Invalid_Code7NamingField(string text)
    {
        var e = Assert.Throws<CniException>(() => ConfiguredEndpoint.Parse("ipam.endpoints[3]", text));

        Assert.Equal(CniErrorCode.InvalidConfiguration, e.Code);
        Assert.Contains("ipam.endpoints[3]", e.Message, StringComparison.Ordinal);
    }
}
