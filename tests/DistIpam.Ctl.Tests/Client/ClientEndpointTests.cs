using DistIpam.Client;

namespace DistIpam.Ctl.Tests.Client;

public sealed class ClientEndpointTests
{
    [Theory]
    [InlineData("10.0.0.1:50051", "http://10.0.0.1:50051/", null)]
    [InlineData("http://server:50051", "http://server:50051/", null)]
    [InlineData("https://server:443", "https://server/", null)]
    [InlineData("unix:///run/distipam/distipam.sock", "http://localhost/", "/run/distipam/distipam.sock")]
    public void Parse_KnownForms_AddressAndSocket(string text, string address, string? socket)
    {
        var endpoint = ClientEndpoint.Parse(text);

        Assert.Equal(address, endpoint.Address.ToString());
        Assert.Equal(socket, endpoint.SocketPath);
    }

    [Theory]
    [InlineData("unix://")]
    [InlineData("ftp://server:21")]
    [InlineData("http://server:50051/path")]
    [InlineData("")]
    public void Parse_Malformed_FormatExceptionNamingIt(string text)
    {
        var failure = Assert.Throws<FormatException>(() => ClientEndpoint.Parse(text));

        Assert.Contains($"'{text}'", failure.Message, StringComparison.Ordinal);
    }
}
