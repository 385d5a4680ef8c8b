using DistIpam.Client;

namespace DistIpam.Ctl.Tests.Client;

public sealed class BearerTokenTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"distipam-token-{Guid.NewGuid():N}");

    [Fact]
    public void HeadersFor_TokenFile_AddsBearerAuthorizationAndKeepsCallerHeaders()
    {
        File.WriteAllText(_path, "secret-1\n");
        using var client = new DistIpamClient(new DistIpamClientOptions { Endpoints = ["127.0.0.1:1"], TokenFile = _path });

        var headers = client.HeadersFor([new Grpc.Core.Metadata.Entry("x-trace", "7")]);

        Assert.Equal("Bearer secret-1", headers.GetValue("authorization"));
        Assert.Equal("7", headers.GetValue("x-trace"));
    }

    [Fact]
    public void HeadersFor_TokenRotated_SendsTheNewToken()
    {
        File.WriteAllText(_path, "old");
        using var client = new DistIpamClient(new DistIpamClientOptions { Endpoints = ["127.0.0.1:1"], TokenFile = _path });
        _ = client.HeadersFor(null);
        File.WriteAllText(_path, "new");
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal("Bearer new", client.HeadersFor(null).GetValue("authorization"));
    }

    [Fact]
    public void HeadersFor_EmptyTokenFile_IOExceptionNamingTheFile()
    {
        File.WriteAllText(_path, "  ");
        using var client = new DistIpamClient(new DistIpamClientOptions { Endpoints = ["127.0.0.1:1"], TokenFile = _path });

        var failure = Assert.Throws<IOException>(() => client.HeadersFor(null));

        Assert.Contains(_path, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.10:50051")]
    [InlineData("http://ipam.example:50051")]
    public void Create_TokenWithPlaintextNetworkEndpoint_RefusedNamingIt(string endpoint)
    {
        File.WriteAllText(_path, "secret");

        var failure = Assert.Throws<ArgumentException>(() => new DistIpamClient(new DistIpamClientOptions { Endpoints = ["unix:///run/x.sock", endpoint], TokenFile = _path }));

        Assert.Contains(endpoint, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:50051")]
    [InlineData("https://ipam.example:50051")]
    [InlineData("unix:///run/distipam/distipam.sock")]
    public void Create_TokenWithSafeEndpoint_Accepted(string endpoint)
    {
        File.WriteAllText(_path, "secret");

        using var client = new DistIpamClient(new DistIpamClientOptions { Endpoints = [endpoint], TokenFile = _path });

        Assert.Equal("Bearer secret", client.HeadersFor(null).GetValue("authorization"));
    }

    public void Dispose() => File.Delete(_path);
}
