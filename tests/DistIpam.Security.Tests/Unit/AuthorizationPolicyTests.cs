using DistIpam.Api.V1;
using DistIpam.Server.Security;

namespace DistIpam.Security.Tests.Unit;

public class AuthorizationPolicyTests
{
    private static readonly CallerIdentity NodeA = new("node-a", CallerRole.Node, "token");
    private static readonly CallerIdentity Reader = new("grafana", CallerRole.Reader, "token");
    private static readonly CallerIdentity Admin = new("ops", CallerRole.Admin, "token");

    [Theory]
    [InlineData("/distipam.v1.Nodes/Drain")]
    [InlineData("/distipam.v1.Pools/SomethingNew")]
    [InlineData("/made.up/Method")]
    public void Refusal_UnlistedMethod_AdminOnly(string method)
    {
        Assert.NotNull(AuthorizationPolicy.Refusal(method, NodeA, null));
        Assert.NotNull(AuthorizationPolicy.Refusal(method, Reader, null));
        Assert.Null(AuthorizationPolicy.Refusal(method, Admin, null));
    }

    [Fact]
    public void Refusal_NodeAllocatingForItself_Allowed() =>
        Assert.Null(AuthorizationPolicy.Refusal("/distipam.v1.Ipam/Allocate", NodeA, new AllocateRequest { Node = "node-a" }));

    [Fact]
    public void Refusal_NodeAllocatingForAnother_Refused() =>
        Assert.NotNull(AuthorizationPolicy.Refusal("/distipam.v1.Ipam/Allocate", NodeA, new AllocateRequest { Node = "node-b" }));

    [Fact]
    public void Refusal_NodeAllocatingWithEmptyNode_Allowed() =>
        Assert.Null(AuthorizationPolicy.Refusal("/distipam.v1.Ipam/Allocate", NodeA, new AllocateRequest()));

    [Fact]
    public void Refusal_NodeStatusRenewingAnotherNodesLease_Refused()
    {
        Assert.NotNull(AuthorizationPolicy.Refusal("/distipam.v1.Ipam/Status", NodeA, new StatusRequest { Node = "node-b" }));
        Assert.Null(AuthorizationPolicy.Refusal("/distipam.v1.Ipam/Status", NodeA, new StatusRequest { Node = "node-a" }));
        Assert.Null(AuthorizationPolicy.Refusal("/distipam.v1.Ipam/Status", NodeA, new StatusRequest()));
    }

    [Fact]
    public void Refusal_NodeHeartbeatForAnotherNode_Refused() =>
        Assert.NotNull(AuthorizationPolicy.Refusal("/distipam.v1.Nodes/Heartbeat", NodeA, new HeartbeatRequest { Node = "node-b" }));

    [Theory]
    [InlineData("/distipam.v1.Pools/CreatePool")]
    [InlineData("/distipam.v1.Pools/ReleaseNode")]
    [InlineData("/distipam.v1.Pools/ReleaseFromReport")]
    [InlineData("/distipam.v1.Services/CreateService")]
    [InlineData("/distipam.v1.Ipam/Allocate")]
    public void Refusal_ReaderWriting_Refused(string method) =>
        Assert.NotNull(AuthorizationPolicy.Refusal(method, Reader, new AllocateRequest()));

    [Theory]
    [InlineData("/distipam.v1.Pools/ListPools")]
    [InlineData("/distipam.v1.Pools/GetUsage")]
    [InlineData("/distipam.v1.Services/Watch")]
    [InlineData("/distipam.v1.Ipam/Status")]
    public void Refusal_ReaderReading_Allowed(string method) =>
        Assert.Null(AuthorizationPolicy.Refusal(method, Reader, null));
}
