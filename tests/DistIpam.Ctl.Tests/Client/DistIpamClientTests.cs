using System.Diagnostics;
using DistIpam.Api.V1;
using DistIpam.Client;
using Grpc.Core;

namespace DistIpam.Ctl.Tests.Client;

/// <summary>Failover, retries and deadlines of <see cref="DistIpamClient"/> against a real server.</summary>
public sealed class DistIpamClientTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>
{
    [Fact]
    public async Task Allocate_FirstEndpointRefusesConnections_FailsOverToSecond()
    {
        var dead = $"127.0.0.1:{FreePort.Next(1)[0]}";
        var retries = new List<ClientRetry>();
        using var client = new DistIpamClient(new DistIpamClientOptions { Endpoints = [dead, fixture.Endpoint], OnRetry = retries.Add });

        var response = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = TestIds.Unique("node") });

        Assert.Equal(2, response.Addresses.Count);
        var retry = Assert.Single(retries);
        Assert.Equal(StatusCode.Unavailable, retry.Status.StatusCode);
        Assert.Equal(dead, retry.Endpoint.Text);
    }

    [Fact]
    public async Task Allocate_RetriedAfterFailover_ReturnsTheSameAddresses()
    {
        var handle = TestIds.NewHandle();
        var node = TestIds.Unique("node");
        using var direct = new DistIpamClient(fixture.Endpoint);
        var first = await direct.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        using var failing = new DistIpamClient($"127.0.0.1:{FreePort.Next(1)[0]}", fixture.Endpoint);

        var again = await failing.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });

        Assert.Equal(first.Addresses.Select(a => (a.Address, a.Sequence)), again.Addresses.Select(a => (a.Address, a.Sequence)));
    }

    [Fact]
    public async Task GetPool_Unknown_NotFoundWithoutRetry()
    {
        using var client = new DistIpamClient(fixture.Endpoint, fixture.Endpoint);

        var failure = await Assert.ThrowsAsync<RpcException>(async () => await client.Pools.GetPoolAsync(new GetPoolRequest { Name = "no-such-pool" }));

        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
        Assert.Equal(0, client.Retries);
    }

    [Fact]
    public async Task ListPools_OverUnixSocket_ListsDefaultPools()
    {
        using var client = new DistIpamClient("unix://" + fixture.Server.UnixSocketPath);

        var pools = await client.Pools.ListPoolsAsync(new ListPoolsRequest());

        Assert.Contains(pools.Pools, p => p.Name == "pods-v4");
    }

    [Fact]
    public async Task Status_NoEndpointAnswers_UnavailableAtTheDeadline()
    {
        var ports = FreePort.Next(2);
        using var client = new DistIpamClient(new DistIpamClientOptions
        {
            Endpoints = [$"127.0.0.1:{ports[0]}", $"127.0.0.1:{ports[1]}"],
            Timeout = TimeSpan.FromSeconds(1),
        });
        var clock = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<RpcException>(async () => await client.Ipam.StatusAsync(new StatusRequest()));

        Assert.Equal(StatusCode.Unavailable, failure.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.True(client.Retries >= 2, $"expected both endpoints tried at least once, saw {client.Retries} retries");
    }

    [Fact]
    public async Task Status_CallerDeadlineSoonerThanTimeout_GivesUpAtCallerDeadline()
    {
        using var client = new DistIpamClient($"127.0.0.1:{FreePort.Next(1)[0]}");
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAsync<RpcException>(async () => await client.Ipam.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
    }
}
