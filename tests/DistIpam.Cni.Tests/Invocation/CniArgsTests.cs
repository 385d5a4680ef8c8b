using DistIpam.Cni.Errors;
using DistIpam.Cni.Invocation;

namespace DistIpam.Cni.Tests.Invocation;

public class CniArgsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Parse_Absent_Empty(string? text) => Assert.Same(CniArgs.Empty, CniArgs.Parse(text));

    [Fact]
    public void Parse_KubernetesKeys_PodIdentity()
    {
        var args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=abc;K8S_POD_UID=1234-5678");

        Assert.Equal("default", args.PodNamespace);
        Assert.Equal("web-0", args.PodName);
        Assert.Equal("1234-5678", args.PodUid);
        Assert.Equal("abc", args.InfraContainerId);
        Assert.Empty(args.Ips);
    }

    [Fact]
    public void Parse_DualStackIp_SplitsOnComma()
    {
        var args = CniArgs.Parse("IP=10.1.2.3/24, fd00::5");

        Assert.Equal(["10.1.2.3/24", "fd00::5"], args.Ips);
    }

    [Fact]
    public void Parse_UnknownKey_Code4NamingKey()
    {
        var e = Assert.Throws<CniException>(() => CniArgs.Parse("K8S_POD_NAME=a;FOO=bar"));

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("FOO", e.Message, StringComparison.Ordinal);
        Assert.Contains("IgnoreUnknown", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FOO=bar;IgnoreUnknown=1")]
    [InlineData("IgnoreUnknown=true;FOO=bar")]
    [InlineData("IgnoreUnknown=TRUE;FOO=bar")]
    public void Parse_UnknownKeyWithIgnoreUnknown_Accepted(string text) => Assert.Null(CniArgs.Parse(text).PodName);

    [Theory]
    [InlineData("IgnoreUnknown=0;FOO=bar")]
    [InlineData("IgnoreUnknown=false;FOO=bar")]
    public void Parse_UnknownKeyWithIgnoreUnknownFalse_Code4(string text) =>
        Assert.Equal(CniErrorCode.InvalidEnvironment, Assert.Throws<CniException>(() => CniArgs.Parse(text)).Code);

    [Theory]
    [InlineData("IgnoreUnknown=yes")]
    [InlineData("NOEQUALS")]
    [InlineData("=value")]
    [InlineData("IP=10.0.0.1,")]
    public void Parse_Malformed_Code4(string text) =>
        Assert.Equal(CniErrorCode.InvalidEnvironment, Assert.Throws<CniException>(() => CniArgs.Parse(text)).Code);

    [Fact]
    public void Parse_TrailingSemicolon_Ignored() => Assert.Equal("p", CniArgs.Parse("K8S_POD_NAME=p;").PodName);

    [Fact]
    public void Parse_EmptyValue_Null() => Assert.Null(CniArgs.Parse("K8S_POD_NAME=").PodName);
}
