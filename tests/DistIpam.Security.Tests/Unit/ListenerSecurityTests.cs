using DistIpam.Server.Hosting;
using DistIpam.Server.Security;

namespace DistIpam.Security.Tests.Unit;

public class ListenerSecurityTests
{
    [Fact]
    public void Refusal_EmbeddedDefault_Allowed() => Assert.Null(ListenerSecurity.Refusal(new DistIpamOptions()));

    [Theory]
    [InlineData("0.0.0.0:50051")]
    [InlineData("[::]:50051")]
    [InlineData("10.1.2.3:50051")]
    public void Refusal_NonLoopbackWithoutTlsAndAuth_Refused(string listen) =>
        Assert.Contains("AllowInsecure", ListenerSecurity.Refusal(new DistIpamOptions { GrpcListen = listen }), StringComparison.Ordinal);

    [Fact]
    public void Refusal_NonLoopbackWithAllowInsecure_Allowed() =>
        Assert.Null(ListenerSecurity.Refusal(new DistIpamOptions { GrpcListen = "0.0.0.0:50051", AllowInsecure = true }));

    [Fact]
    public void Refusal_NonLoopbackWithTlsButNoAuth_Refused() =>
        Assert.NotNull(ListenerSecurity.Refusal(new DistIpamOptions { GrpcListen = "0.0.0.0:50051", Tls = new TlsOptions { CertificateFile = "c", KeyFile = "k" } }));

    [Fact]
    public void Refusal_NonLoopbackWithTlsAndTokens_Allowed() =>
        Assert.Null(ListenerSecurity.Refusal(new DistIpamOptions
        {
            GrpcListen = "0.0.0.0:50051",
            Tls = new TlsOptions { CertificateFile = "c", KeyFile = "k" },
            Auth = new AuthOptions { Enabled = true, TokensFile = "t" },
        }));

    [Fact]
    public void Refusal_AuthWithoutAnyAuthenticator_Refused() =>
        Assert.Contains("TokensFile", ListenerSecurity.Refusal(new DistIpamOptions { Auth = new AuthOptions { Enabled = true } }), StringComparison.Ordinal);

    [Fact]
    public void Refusal_CertificateWithoutKey_Refused() =>
        Assert.Contains("KeyFile", ListenerSecurity.Refusal(new DistIpamOptions { Tls = new TlsOptions { CertificateFile = "c" } }), StringComparison.Ordinal);
}
