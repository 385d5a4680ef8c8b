using System.Globalization;
using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Services.Tests.Functional;

/// <summary>All or nothing: a create that fails part-way gives back what it took.</summary>
public sealed class ServicesRollbackTests(ServicesServerFixture fixture) : IClassFixture<ServicesServerFixture>
{
    private static int _nextSubnet;
    private readonly Api.V1.Services.ServicesClient _services = fixture.Services;
    private readonly Pools.PoolsClient _pools = fixture.Pools;

    [Fact]
    public async Task Create_TinyPoolExhausted_ResourceExhaustedNamingPoolAndIpv6RolledBack()
    {
        var ns = Svc.UniqueNamespace("rollback");
        var pool = await CreateTinyServicePoolAsync();
        for (var i = 0; i < 6; i++)
        {
            var filler = Svc.Of(ns, $"fill-{i}");
            filler.Pools.Add(pool);
            await _services.CreateServiceAsync(new CreateServiceRequest { Service = filler });
        }

        var loser = Svc.Of(ns, "loser", policy: IpFamilyPolicy.RequireDualStack);
        loser.Pools.Add(["services-v6", pool]);
        loser.ClusterIps.Add("fd00:10:96::4242");
        await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = loser }).ResponseAsync, pool);

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _services.GetServiceAsync(new GetServiceRequest { Namespace = ns, Name = "loser" }).ResponseAsync);
        var reuse = Svc.Of(ns, "reuse");
        reuse.ClusterIps.Add("fd00:10:96::4242");
        Assert.Equal(["fd00:10:96::4242"], (await _services.CreateServiceAsync(new CreateServiceRequest { Service = reuse })).ClusterIps);
    }

    [Fact]
    public async Task Create_NodePortTaken_ClusterIpsRolledBack()
    {
        var ns = Svc.UniqueNamespace("rollback");
        var holder = Svc.Of(ns, "holder", ServiceType.NodePort, IpFamilyPolicy.Unspecified, Svc.Port("http", 80, nodePort: 30555));
        await _services.CreateServiceAsync(new CreateServiceRequest { Service = holder });
        var loser = Svc.Of(ns, "loser", ServiceType.NodePort, IpFamilyPolicy.PreferDualStack, Svc.Port("http", 80, nodePort: 30555));
        loser.ClusterIps.Add(["10.96.0.99", "fd00:10:96::99"]);

        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => _services.CreateServiceAsync(new CreateServiceRequest { Service = loser }).ResponseAsync, "30555");

        var reuse = Svc.Of(ns, "reuse", policy: IpFamilyPolicy.PreferDualStack);
        reuse.ClusterIps.Add(["10.96.0.99", "fd00:10:96::99"]);
        Assert.Equal(["10.96.0.99", "fd00:10:96::99"], (await _services.CreateServiceAsync(new CreateServiceRequest { Service = reuse })).ClusterIps);
    }

    private async Task<string> CreateTinyServicePoolAsync()
    {
        var subnet = Interlocked.Increment(ref _nextSubnet).ToString(CultureInfo.InvariantCulture);
        var name = $"tiny-svc-{subnet}-{Guid.NewGuid().ToString("N")[..6]}";
        await _pools.CreatePoolAsync(new CreatePoolRequest
        {
            Pool = new Pool { Name = name, Cidr = $"10.201.{subnet}.0/29", BlockPrefixLength = 29, Kind = PoolKind.Service },
        });
        return name;
    }
}
