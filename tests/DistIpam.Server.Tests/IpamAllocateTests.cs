using System.Net;
using System.Net.Sockets;
using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>Ipam.Allocate against the real server with its default pools (pods-v4, pods-v6).</summary>
public sealed class IpamAllocateTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Ipam.IpamClient _ipam = fixture.Ipam;

    [Fact]
    public async Task Allocate_DefaultPools_ReturnsOneV4AndOneV6WithBlockPrefixAndGateway()
    {
        var response = await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), TestHandles.UniqueId("node")));

        AssertDualStack(response);
    }

    [Fact]
    public async Task Allocate_SameHandleAgain_ReturnsSamePair()
    {
        var handle = TestHandles.New();
        var node = TestHandles.UniqueId("node");
        var first = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node));

        var retry = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node));

        Assert.Equal(first.Addresses.Select(a => (a.Address, a.Sequence)), retry.Addresses.Select(a => (a.Address, a.Sequence)));
    }

    [Fact]
    public async Task Allocate_TwoHandlesOnOneNode_GetDistinctAddressesInOneBlock()
    {
        var node = TestHandles.UniqueId("node");
        var first = await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), node));

        var second = await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), node));

        Assert.Empty(first.Addresses.Select(a => a.Address).Intersect(second.Addresses.Select(a => a.Address)));
        Assert.Equal(first.Addresses.Select(a => a.Block), second.Addresses.Select(a => a.Block));
    }

    [Fact]
    public async Task Allocate_OverUnixSocket_ReturnsDualStackPairAndReleases()
    {
        var ipam = new Ipam.IpamClient(fixture.Server.CreateUnixSocketChannel());
        var handle = TestHandles.New();

        var response = await ipam.AllocateAsync(TestHandles.Allocate(handle, TestHandles.UniqueId("node")));
        AssertDualStack(response);
        await ipam.CheckAsync(TestHandles.Check(handle, response.Addresses.Select(a => a.Address)));
        var released = await ipam.ReleaseAsync(new ReleaseRequest { Handle = handle });

        Assert.Equal(2, released.Released.Count);
    }

    [Fact]
    public async Task Allocate_RequestedFreeIp_ReturnsThatIp()
    {
        var node = TestHandles.UniqueId("node");
        var probe = await _ipam.AllocateAsync(TestHandles.Allocate(TestHandles.New(), node, "pods-v4"));
        var wanted = NextAddress(Bare(probe.Addresses[0].Address), 5);
        var request = TestHandles.Allocate(TestHandles.New(), node, "pods-v4");
        request.RequestedIps.Add(wanted);

        var response = await _ipam.AllocateAsync(request);

        Assert.Equal(wanted, Bare(Assert.Single(response.Addresses).Address));
    }

    [Fact]
    public async Task Allocate_RequestedIpTaken_AlreadyExistsNamingHolder()
    {
        var holder = TestHandles.New();
        var node = TestHandles.UniqueId("node");
        var held = await _ipam.AllocateAsync(TestHandles.Allocate(holder, node, "pods-v4"));
        var taken = Bare(held.Addresses[0].Address);
        var intruder = TestHandles.New();
        var request = TestHandles.Allocate(intruder, node, "pods-v4");
        request.RequestedIps.Add(taken);

        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => _ipam.AllocateAsync(request).ResponseAsync, taken, TestHandles.KeyOf(holder));

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(intruder, [])).ResponseAsync);
        await _ipam.CheckAsync(TestHandles.Check(holder, [taken]));
    }

    [Fact]
    public async Task Allocate_RequestedIpOutsidePool_InvalidArgumentNamingIp()
    {
        var handle = TestHandles.New();
        var request = TestHandles.Allocate(handle, TestHandles.UniqueId("node"));
        request.RequestedIps.Add("192.0.2.7");

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.AllocateAsync(request).ResponseAsync, "192.0.2.7", "pods-v4");

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(handle, [])).ResponseAsync);
    }

    [Fact]
    public async Task Allocate_SameHandleOtherRequestedIp_FailedPreconditionNamingHeldAddress()
    {
        var handle = TestHandles.New();
        var node = TestHandles.UniqueId("node");
        var held = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node, "pods-v4"));
        var other = NextAddress(Bare(held.Addresses[0].Address), 7);
        var request = TestHandles.Allocate(handle, node, "pods-v4");
        request.RequestedIps.Add(other);

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => _ipam.AllocateAsync(request).ResponseAsync, Bare(held.Addresses[0].Address));
    }

    internal static string Bare(string address) => address.Split('/')[0];

    private static string NextAddress(string address, int offset)
    {
        var bytes = IPAddress.Parse(address).GetAddressBytes();
        bytes[^1] = checked((byte)(bytes[^1] + offset));
        return new IPAddress(bytes).ToString();
    }

    private static void AssertDualStack(AllocateResponse response)
    {
        Assert.Equal(2, response.Addresses.Count);
        var v4 = Assert.Single(response.Addresses, a => a.Family == IpFamily.V4);
        var v6 = Assert.Single(response.Addresses, a => a.Family == IpFamily.V6);
        AssertAddress(v4, "pods-v4", "10.244.0.0/16", 26, AddressFamily.InterNetwork);
        AssertAddress(v6, "pods-v6", "fd00:10:244::/56", 122, AddressFamily.InterNetworkV6);
    }

    private static void AssertAddress(AllocatedAddress address, string pool, string cidr, int prefix, AddressFamily family)
    {
        var parts = address.Address.Split('/');
        Assert.True(parts.Length == 2, $"expected address/prefix, saw '{address.Address}'");
        var ip = IPAddress.Parse(parts[0]);
        Assert.Equal(family, ip.AddressFamily);
        Assert.Equal(prefix.ToString(System.Globalization.CultureInfo.InvariantCulture), parts[1]);
        Assert.Equal(pool, address.Pool);
        Assert.True(IPNetwork.Parse(cidr).Contains(ip), $"{ip} is outside {cidr}");
        var block = IPNetwork.Parse(address.Block);
        Assert.Equal(prefix, block.PrefixLength);
        Assert.True(block.Contains(ip), $"{ip} is outside its block {address.Block}");
        Assert.False(string.IsNullOrEmpty(address.Gateway), $"no gateway for bridged {address.Address}");
        var gateway = IPAddress.Parse(address.Gateway);
        Assert.True(block.Contains(gateway), $"gateway {gateway} is outside block {address.Block}");
        Assert.NotEqual(ip, gateway);
        Assert.True(address.Sequence > 0, $"sequence of {address.Address} is 0");
    }
}
