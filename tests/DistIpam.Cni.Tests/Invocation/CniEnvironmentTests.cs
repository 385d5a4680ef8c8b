using DistIpam.Cni.Errors;
using DistIpam.Cni.Invocation;

namespace DistIpam.Cni.Tests.Invocation;

public class CniEnvironmentTests
{
    [Fact]
    public void Read_EmptyVariables_CountAsAbsent()
    {
        var env = CniEnvironment.Read(name => name == "CNI_COMMAND" ? "ADD" : "");

        Assert.Equal("ADD", env.Command);
        Assert.Null(env.ContainerId);
        Assert.Null(env.Netns);
        Assert.Null(env.IfName);
        Assert.Null(env.Args);
        Assert.Null(env.Path);
        Assert.Null(env.NodeName);
    }

    [Fact]
    public void Read_AllVariables_Mapped()
    {
        var values = new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "DEL",
            ["CNI_CONTAINERID"] = "c1",
            ["CNI_NETNS"] = "/var/run/netns/p",
            ["CNI_IFNAME"] = "eth0",
            ["CNI_ARGS"] = "IgnoreUnknown=1",
            ["CNI_PATH"] = "/opt/cni/bin",
            ["DISTIPAM_NODE_NAME"] = "node-a",
        };

        var env = CniEnvironment.Read(name => values.GetValueOrDefault(name));

        Assert.Equal(new CniEnvironment
        {
            Command = "DEL",
            ContainerId = "c1",
            Netns = "/var/run/netns/p",
            IfName = "eth0",
            Args = "IgnoreUnknown=1",
            Path = "/opt/cni/bin",
            NodeName = "node-a",
        }, env);
    }

    [Theory]
    [InlineData(null, "CNI_CONTAINERID is required")]
    [InlineData("-abc", "must start with a letter or digit")]
    [InlineData("abc/def", "must start with a letter or digit")]
    [InlineData("abc def", "must start with a letter or digit")]
    public void RequireContainerId_Invalid_Code4NamingVariable(string? id, string expected)
    {
        var e = Assert.Throws<CniException>(() => new CniEnvironment { ContainerId = id }.RequireContainerId());

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("CNI_CONTAINERID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireContainerId_TooLong_Code4()
    {
        var e = Assert.Throws<CniException>(() => new CniEnvironment { ContainerId = new string('a', 254) }.RequireContainerId());

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("254", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0123456789abcdef_.-X")]
    public void RequireContainerId_Valid_Returned(string id) => Assert.Equal(id, new CniEnvironment { ContainerId = id }.RequireContainerId());

    [Theory]
    [InlineData(null)]
    [InlineData("sixteen-chars-xx")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("eth/0")]
    [InlineData("eth:0")]
    [InlineData("eth 0")]
    public void RequireIfName_Invalid_Code4(string? name)
    {
        var e = Assert.Throws<CniException>(() => new CniEnvironment { IfName = name }.RequireIfName());

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("CNI_IFNAME", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("fifteen-chars-x")]
    public void RequireIfName_Valid_Returned(string name) => Assert.Equal(name, new CniEnvironment { IfName = name }.RequireIfName());

    [Fact]
    public void RequireNetns_Absent_Code4()
    {
        var e = Assert.Throws<CniException>(() => new CniEnvironment().RequireNetns());

        Assert.Equal(CniErrorCode.InvalidEnvironment, e.Code);
        Assert.Contains("CNI_NETNS", e.Message, StringComparison.Ordinal);
    }
}
