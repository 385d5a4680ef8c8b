using System.Net;
using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>Family policies, requested IPs, headless services and updates over gRPC.</summary>
public sealed class ServicesCreateTests(ServicesServerFixture fixture) : IClassFixture<ServicesServerFixture>
{
    private readonly Api.V1.Services.ServicesClient _services = fixture.Services;

    [Fact]
    public async Task Create_DefaultPolicy_OneIpv4FromServicesV4()
    {
        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(Svc.UniqueNamespace("create"), "web") });

        Assert.Equal(IpFamilyPolicy.SingleStack, created.IpFamilyPolicy);
        Assert.Equal([IpFamily.V4], created.IpFamilies);
        Assert.True(InRange(Assert.Single(created.ClusterIps), "10.96.0.0", 12), created.ClusterIps[0]);
        Assert.Equal(["services-v4"], created.Pools);
        Assert.True(created.Version > 0);
    }

    [Fact]
    public async Task Create_PreferDualStack_Ipv4ThenIpv6()
    {
        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(Svc.UniqueNamespace("create"), "web", policy: IpFamilyPolicy.PreferDualStack) });

        Assert.Equal([IpFamily.V4, IpFamily.V6], created.IpFamilies);
        Assert.True(InRange(created.ClusterIps[0], "10.96.0.0", 12), created.ClusterIps[0]);
        Assert.True(InRange(created.ClusterIps[1], "fd00:10:96::", 112), created.ClusterIps[1]);
    }

    [Fact]
    public async Task Create_RequireDualStackIpv6Primary_Ipv6First()
    {
        var service = Svc.Of(Svc.UniqueNamespace("create"), "web", policy: IpFamilyPolicy.RequireDualStack);
        service.IpFamilies.Add(IpFamily.V6);

        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });

        Assert.Equal([IpFamily.V6, IpFamily.V4], created.IpFamilies);
        Assert.Contains(":", created.ClusterIps[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_RequireDualStackWithOneFamilyOfPools_InvalidArgumentNamingPolicy()
    {
        var ns = Svc.UniqueNamespace("create");
        var service = Svc.Of(ns, "web", policy: IpFamilyPolicy.RequireDualStack);
        service.Pools.Add("services-v4");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = service }).ResponseAsync, "ip_family_policy", "RequireDualStack");
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _services.GetServiceAsync(new GetServiceRequest { Namespace = ns, Name = "web" }).ResponseAsync);
    }

    [Fact]
    public async Task Create_RequestedClusterIp_HonoredAndRefusedForSecondService()
    {
        var ns = Svc.UniqueNamespace("create");
        var first = Svc.Of(ns, "a");
        first.ClusterIps.Add("10.96.0.77");
        var second = Svc.Of(ns, "b");
        second.ClusterIps.Add("10.96.0.77");

        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = first });

        Assert.Equal(["10.96.0.77"], created.ClusterIps);
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = second }).ResponseAsync, "10.96.0.77", $"{ns}/a");
    }

    [Fact]
    public async Task Create_RequestedIpOutsideRange_InvalidArgument()
    {
        var service = Svc.Of(Svc.UniqueNamespace("create"), "web");
        service.ClusterIps.Add("10.200.0.1");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = service }).ResponseAsync, "10.200.0.1", "services-v4");
    }

    [Fact]
    public async Task Create_Headless_NoIpButFamilies()
    {
        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = Svc.Of(Svc.UniqueNamespace("create"), "db", ServiceType.Headless, IpFamilyPolicy.PreferDualStack) });

        Assert.Empty(created.ClusterIps);
        Assert.Equal([IpFamily.V4, IpFamily.V6], created.IpFamilies);
    }

    [Fact]
    public async Task Update_AddThenRemoveSecondary_PrimaryNeverChanges()
    {
        var service = Svc.Of(Svc.UniqueNamespace("update"), "web");
        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });

        service.IpFamilyPolicy = IpFamilyPolicy.PreferDualStack;
        var dual = await _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service });
        service.IpFamilyPolicy = IpFamilyPolicy.SingleStack;
        var single = await _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service });

        Assert.Equal(created.ClusterIps[0], dual.ClusterIps[0]);
        Assert.Equal(2, dual.ClusterIps.Count);
        Assert.Equal(created.ClusterIps, single.ClusterIps);
        Assert.True(single.Version > dual.Version && dual.Version > created.Version);
        service.ClusterIps.Add("10.96.0.78");
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service }).ResponseAsync, "cluster_ips[0]", created.ClusterIps[0]);
    }

    [Fact]
    public async Task Update_SameSpecTwice_VersionUnchanged()
    {
        var service = Svc.Of(Svc.UniqueNamespace("update"), "web");
        service.Labels["app"] = "web";
        var created = await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });

        var again = await _services.UpdateServiceAsync(new UpdateServiceRequest { Service = service });

        Assert.Equal(created, again);
    }

    [Fact]
    public async Task Delete_ReleasesClusterIp_IdempotentSecondTime()
    {
        var ns = Svc.UniqueNamespace("delete");
        var service = Svc.Of(ns, "web");
        service.ClusterIps.Add("10.96.0.79");
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = service });

        Assert.True((await _services.DeleteServiceAsync(new DeleteServiceRequest { Namespace = ns, Name = "web" })).Deleted);
        Assert.False((await _services.DeleteServiceAsync(new DeleteServiceRequest { Namespace = ns, Name = "web" })).Deleted);
        service.Name = "again";
        Assert.Equal(["10.96.0.79"], (await _services.CreateServiceAsync(new CreateServiceRequest { Service = service })).ClusterIps);
    }

    private static bool InRange(string address, string network, int prefix)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        var net = IPAddress.Parse(network).GetAddressBytes();
        if (bytes.Length != net.Length)
        {
            return false;
        }

        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((bytes[bit / 8] & mask) != (net[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
