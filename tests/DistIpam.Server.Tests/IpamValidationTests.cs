using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>Bad Allocate input is refused at the edge with a message naming the field or value, and changes nothing.</summary>
public sealed class IpamValidationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string Oversized = new('a', 254);

    private readonly Ipam.IpamClient _ipam = fixture.Ipam;

    public static TheoryData<string, string, string, string> BadHandles => new()
    {
        { "", "c1", "eth0", "handle.network" },
        { "net", "", "eth0", "handle.container_id" },
        { "net", "c1", "", "handle.interface" },
        { Oversized, "c1", "eth0", "handle.network" },
        { "net", Oversized, "eth0", "handle.container_id" },
        { "net/x", "c1", "eth0", "net/x" },
        { "net", "c 1", "eth0", "c 1" },
        { "net", "c|1", "eth0", "c|1" },
        { "net", "c1", "eth0/1", "eth0/1" },
        { "net", "c1", "averyverylongif0", "averyverylongif0" },
    };

    [Theory]
    [MemberData(nameof(BadHandles))]
    public async Task Allocate_BadHandlePart_InvalidArgumentNamingIt(string network, string containerId, string interfaceName, string named)
    {
        var handle = new Handle { Network = network, ContainerId = containerId, Interface = interfaceName };

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(TestHandles.Allocate(handle, "node-a")).ResponseAsync, named);
    }

    [Fact]
    public async Task Allocate_InterfaceNameOf16Characters_InvalidArgumentNamingLimit()
    {
        var handle = TestHandles.New(interfaceName: "eth0123456789012");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(TestHandles.Allocate(handle, "node-a")).ResponseAsync, "eth0123456789012", "15");
    }

    [Fact]
    public async Task Allocate_InterfaceNameOf15Characters_Succeeds()
    {
        var handle = TestHandles.New(interfaceName: "eth012345678901");

        var response = await _ipam.AllocateAsync(TestHandles.Allocate(handle, TestHandles.UniqueId("node")));

        Assert.Equal(2, response.Addresses.Count);
    }

    [Fact]
    public async Task Allocate_MissingHandle_InvalidArgument()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(new AllocateRequest { Node = "node-a" }).ResponseAsync, "handle");
    }

    [Theory]
    [InlineData("", "node")]
    [InlineData("node_a b", "node_a b")]
    public async Task Allocate_BadNode_InvalidArgumentNamingIt(string node, string named)
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), node)).ResponseAsync, named);
    }

    [Fact]
    public async Task Allocate_UnknownPool_NotFoundNamingPool()
    {
        var handle = TestHandles.New();

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.AllocateAsync(TestHandles.Allocate(handle, "node-a", "no-such-pool")).ResponseAsync, "no-such-pool");

        await AssertNothingHeldAsync(handle);
    }

    [Fact]
    public async Task Allocate_TwoPoolsOfOneFamily_InvalidArgumentNamingBoth()
    {
        var pool = await CreatePoolAsync("10.250.0.0/24");
        var handle = TestHandles.New();

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(TestHandles.Allocate(handle, "node-a", "pods-v4", pool)).ResponseAsync, "pods-v4", pool);

        await AssertNothingHeldAsync(handle);
    }

    [Fact]
    public async Task Allocate_ServicePool_InvalidArgumentNamingPool()
    {
        var handle = TestHandles.New();

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(TestHandles.Allocate(handle, "node-a", "services-v4")).ResponseAsync, "services-v4");

        await AssertNothingHeldAsync(handle);
    }

    [Fact]
    public async Task Allocate_TwoRequestedIpsOfOneFamily_InvalidArgumentNamingBoth()
    {
        var handle = TestHandles.New();
        var request = TestHandles.Allocate(handle, "node-a");
        request.RequestedIps.Add("10.244.200.10");
        request.RequestedIps.Add("10.244.200.11");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(request).ResponseAsync, "10.244.200.10", "10.244.200.11");

        await AssertNothingHeldAsync(handle);
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("10.244.1.300")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.244.010.5")]
    [InlineData("10.244.0.5/abc")]
    [InlineData("10.244.0.5/33")]
    [InlineData("[fd00:10:244::5]")]
    public async Task Allocate_MalformedRequestedIp_InvalidArgumentNamingIt(string requested)
    {
        var handle = TestHandles.New();
        var request = TestHandles.Allocate(handle, "node-a");
        request.RequestedIps.Add(requested);

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(request).ResponseAsync, requested);

        await AssertNothingHeldAsync(handle);
    }

    [Fact]
    public async Task Allocate_SeventeenRequestedIps_InvalidArgumentNamingLimit()
    {
        var handle = TestHandles.New();
        var request = TestHandles.Allocate(handle, "node-a");
        request.RequestedIps.AddRange(Enumerable.Range(1, 17).Select(i => $"10.244.201.{i}"));

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(request).ResponseAsync, "requested_ips", "at most 16");

        await AssertNothingHeldAsync(handle);
    }

    [Fact]
    public async Task Allocate_RequestedIpOfFamilyNotAllocated_InvalidArgumentNamingIt()
    {
        var handle = TestHandles.New();
        var request = TestHandles.Allocate(handle, "node-a", "pods-v4");
        request.RequestedIps.Add("fd00:10:244::42");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(request).ResponseAsync, "fd00:10:244::42");
    }

    [Fact]
    public async Task Release_BadHandle_InvalidArgument()
    {
        var handle = new Handle { Network = "net", ContainerId = "c 1", Interface = "eth0" };

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.ReleaseAsync(new ReleaseRequest { Handle = handle }).ResponseAsync, "c 1");
    }

    [Fact]
    public async Task Check_MalformedExpectedAddress_InvalidArgumentNamingIt()
    {
        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.CheckAsync(TestHandles.Check(TestHandles.New(), ["10.0.0.999"])).ResponseAsync, "10.0.0.999");
    }

    private async Task<string> CreatePoolAsync(string cidr)
    {
        var name = TestHandles.UniqueId("extra");
        await fixture.Pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = name, Cidr = cidr } });
        return name;
    }

    private async Task AssertNothingHeldAsync(Handle handle) =>
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(handle, [])).ResponseAsync);
}
