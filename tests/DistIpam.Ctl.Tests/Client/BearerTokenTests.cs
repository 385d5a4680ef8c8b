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

    public void Dispose() => File.Delete(_path);
}
