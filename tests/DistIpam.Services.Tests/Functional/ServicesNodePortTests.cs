using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>NodePorts: requested, shared by TCP and UDP of one port, duplicates refused, released on delete.</summary>
public sealed class ServicesNodePortTests(ServicesServerFixture fixture) : IClassFixture<ServicesServerFixture>
{
    private readonly Api.V1.Services.ServicesClient _services = fixture.Services;

    [Fact]
    public async Task Create_DnsOverTcpAndUdp_OneSharedNodePortInRange()
    {
        var service = Svc.Of(Svc.UniqueNamespace("np"), "dns", ServiceType.NodePort, IpFamilyPolicy.Unspecified,
            Svc.Port("dns-tcp", 53, Protocol.Tcp), Svc.Port("dns-udp", 53, Protocol.Udp), Svc.Port("metrics", 9153));

        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });

        Assert.Equal(created.Ports[0].NodePort, created.Ports[1].NodePort);
        Assert.NotEqual(created.Ports[0].NodePort, created.Ports[2].NodePort);
        Assert.All(created.Ports, p => Assert.InRange(p.NodePort, 30000, 32767));
    }

    [Fact]
    public async Task Create_RequestedNodePort_HonoredThenRefusedThenFreedByDelete()
    {
        var ns = Svc.UniqueNamespace("np");
        var first = Svc.Of(ns, "a", ServiceType.NodePort, IpFamilyPolicy.Unspecified, Svc.Port("http", 80, nodePort: 30080));
        var second = Svc.Of(ns, "b", ServiceType.NodePort, IpFamilyPolicy.Unspecified, Svc.Port("http", 80, nodePort: 30080));

        Assert.Equal(30080, (await _services.CreateServiceAsync(new CreateServiceRequest { Service = first })).Ports[0].NodePort);
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = second }).ResponseAsync, "30080", $"{ns}/a");
        await _services.DeleteServiceAsync(new DeleteServiceRequest { Namespace = ns, Name = "a" });

        Assert.Equal(30080, (await _services.CreateServiceAsync(new CreateServiceRequest { Service = second })).Ports[0].NodePort);
    }

    [Fact]
    public async Task Create_SameNodePortTwiceWithOneProtocol_InvalidArgument()
    {
        var service = Svc.Of(Svc.UniqueNamespace("np"), "a", ServiceType.NodePort, IpFamilyPolicy.Unspecified,
            Svc.Port("a", 80, nodePort: 30081), Svc.Port("b", 81, nodePort: 30081));

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = service }).ResponseAsync, "ports[1].node_port", "30081");
    }

    [Fact]
    public async Task Update_ClusterIpToNodePortAndBack_NodePortKeptThenReleased()
    {
        var ns = Svc.UniqueNamespace("np");
        var service = Svc.Of(ns, "web");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });

        service.Type = ServiceType.NodePort;
        var asNodePort = await _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service });
        service.Labels["v"] = "2";
        var relabeled = await _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service });
        service.Type = ServiceType.ClusterIp;
        var back = await _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service });

        Assert.InRange(asNodePort.Ports[0].NodePort, 30000, 32767);
        Assert.Equal(asNodePort.Ports[0].NodePort, relabeled.Ports[0].NodePort);
        Assert.Equal(0, back.Ports[0].NodePort);
        var reuse = Svc.Of(ns, "reuse", ServiceType.NodePort, IpFamilyPolicy.Unspecified, Svc.Port("http", 80, nodePort: asNodePort.Ports[0].NodePort));
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = reuse });
    }
}
