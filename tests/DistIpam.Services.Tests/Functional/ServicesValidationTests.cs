using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>Bad input is INVALID_ARGUMENT naming the field, and changes nothing.</summary>
public sealed class ServicesValidationTests(ServicesServerFixture fixture) : IClassFixture<ServicesServerFixture>
{
    private readonly Api.V1.Services.ServicesClient _services = fixture.Services;

    public static TheoryData<string, string> BadServices => new()
    {
        { "name", "service.name" },
        { "port", "service.ports[0].port" },
        { "protocol", "service.ports[0].protocol" },
        { "family", "cluster_ips[0]" },
        { "families", "service.ip_families" },
        { "ip", "service.cluster_ips[0]" },
        { "nodeport", "ports[0].node_port" },
    };

    [Theory]
    [MemberData(nameof(BadServices))]
    public async Task Create_BadField_InvalidArgumentNamingFieldNothingCreated(string bad, string field)
    {
        var ns = Svc.UniqueNamespace("valid");
        var service = Svc.Of(ns, "web");
        switch (bad)
        {
            case "name": service.Name = "Web_1"; break;
            case "port": service.Ports[0].Port = 0; break;
            case "protocol": service.Ports[0].Protocol = (Protocol)9; break;
            case "family":
                service.IpFamilies.Add(IpFamily.V4);
                service.ClusterIps.Add("fd00:10:96::5");
                break;
            case "families": service.IpFamilies.Add([IpFamily.V4, IpFamily.V6, IpFamily.V4]); break;
            case "ip": service.ClusterIps.Add("10.96.0.010"); break;
            case "nodeport": service.Ports[0].NodePort = 30100; break;
        }

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = service }).ResponseAsync, field);
        var list = await _services.ListServicesAsync(new ListServicesRequest { Namespace = ns });
        Assert.Empty(list.Services);
    }

    [Fact]
    public async Task Upsert_BadEndpointAddress_InvalidArgumentNamingFieldNothingChanged()
    {
        var ns = Svc.UniqueNamespace("valid");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(ns, "web") });

        await RpcAssert.FailsAsync(
            StatusCode.InvalidArgument,
            () => _services.UpsertEndpointsAsync(Svc.Upsert(ns, "web", Svc.Endpoint("pod-1", "10.1.0.1"), Svc.Endpoint("pod-2", "10.1.0.300"))).ResponseAsync,
            "endpoints[1].addresses[0]");

        Assert.Empty((await _services.GetServiceAsync(new GetServiceRequest { Namespace = ns, Name = "web" })).Slices);
    }

    [Fact]
    public async Task Upsert_UnknownService_NotFound()
    {
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _services.UpsertEndpointsAsync(Svc.Upsert(Svc.UniqueNamespace("valid"), "ghost", Svc.Endpoint("pod-1", "10.1.0.1"))).ResponseAsync, "ghost");
    }

    [Fact]
    public async Task List_BadSelector_InvalidArgument()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _services.ListServicesAsync(new ListServicesRequest { LabelSelector = "app in (a,b)" }).ResponseAsync, "label_selector");
    }
}
