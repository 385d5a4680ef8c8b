using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Handles;

/// <summary>Requested addresses (CNI_ARGS IP=, args.cni.ips, runtimeConfig.ips).</summary>
public sealed partial class HandleGrainTests
{
    [Fact]
    public async Task AllocateAsync_RequestedAddressInUnclaimedBlock_GetsItAndClaimsTheBlockForTheNode()
    {
        // A /26 of four /28 blocks; ask for an address in the third block, which nobody has claimed.
        var pool = await _ipam.CreatePoolAsync("requested", TestNames.IPv4(26), 28);
        var prefix = IpPrefix.Parse(pool.Cidr);
        var block = prefix.BlockAt(28, 2u);
        var wanted = block.AddressAt(5u).ToString();
        var node = TestNames.Unique("node");

        var record = await _ipam.AllocateRequestedAsync(IpamDriver.NewHandle(), node, pool.Name, wanted);

        var lease = Assert.Single(record.Leases);
        Assert.Equal(wanted, lease.Address);
        Assert.Equal(block.ToString(), lease.Block);
        Assert.Equal(node, lease.BlockOwner);
        var claim = Assert.Single(await _ipam.Pool(pool.Name).ListClaimsAsync());
        Assert.Equal((block.ToString(), node, true), (claim.Block, claim.Node, claim.Confirmed));
        var blocks = Assert.Single(await _ipam.Node(node).ListBlocksAsync(), b => b.Pool == pool.Name);
        Assert.Equal([block.ToString()], blocks.Owned);
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressInUnclaimedBlockAtMaxBlocksPerNode_FailsWithExhaustedAndClaimsNothing()
    {
        // One block per node: the node's first ADD claims block 0; an address in block 2 would be a second claim.
        var pool = await _ipam.CreatePoolAsync("requested-max", TestNames.IPv4(26), 28, maxBlocksPerNode: 1);
        var node = TestNames.Unique("node");
        await _ipam.AllocateNewAsync(node, pool.Name);
        var block = IpPrefix.Parse(pool.Cidr).BlockAt(28, 2u);
        var wanted = block.AddressAt(5u).ToString();
        var handle = IpamDriver.NewHandle();

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.AllocateRequestedAsync(handle, node, pool.Name, wanted));

        Assert.Equal(IpamErrorKind.Exhausted, error.Kind);
        Assert.Contains(wanted, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{pool.Name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("maximum of 1 block(s)", error.Message, StringComparison.Ordinal);
        Assert.Null(await _ipam.Handle(handle).GetAsync());
        Assert.DoesNotContain(await _ipam.Pool(pool.Name).ListClaimsAsync(), c => c.Block == block.ToString());

        // Another node without blocks may still take it (it claims the block).
        var other = TestNames.Unique("node");
        var record = await _ipam.AllocateRequestedAsync(IpamDriver.NewHandle(), other, pool.Name, wanted);
        Assert.Equal(other, Assert.Single(record.Leases).BlockOwner);
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressHeldByAnotherHandle_FailsWithAlreadyExistsNamingHolder()
    {
        var pool = await _ipam.CreatePoolAsync("taken", TestNames.IPv4(26), 28);
        var wanted = IpPrefix.Parse(pool.Cidr).AddressAt(7u).ToString();
        var node = TestNames.Unique("node");
        var holder = IpamDriver.NewHandle();
        await _ipam.AllocateRequestedAsync(holder, node, pool.Name, wanted);
        var other = IpamDriver.NewHandle();

        var error = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.AllocateRequestedAsync(other, TestNames.Unique("node"), pool.Name, wanted));

        Assert.Equal(IpamErrorKind.AlreadyExists, error.Kind);
        Assert.Contains(wanted, error.Message, StringComparison.Ordinal);
        Assert.Contains(holder, error.Message, StringComparison.Ordinal);
        Assert.Null(await _ipam.Handle(other).GetAsync());
        var held = Assert.Single(await _ipam.AllocationsAsync(pool.Name));
        Assert.Equal((wanted, holder), (held.Address, held.HandleId));
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressOutsidePool_FailsWithInvalidArgument()
    {
        var pool = await _ipam.CreatePoolAsync("outside", TestNames.IPv4(26), 28);
        var outside = IPAddress.Parse("192.0.2.10").ToString();
        var handle = IpamDriver.NewHandle();

        var error = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.AllocateRequestedAsync(handle, TestNames.Unique("node"), pool.Name, outside));

        Assert.Equal(IpamErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(outside, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{pool.Name}'", error.Message, StringComparison.Ordinal);
        Assert.Null(await _ipam.Handle(handle).GetAsync());
        Assert.Empty(await _ipam.Pool(pool.Name).ListClaimsAsync());
    }

    [Fact]
    public async Task AllocateAsync_RequestedNetworkAddressOfBlock_FailsWithInvalidArgument()
    {
        var pool = await _ipam.CreatePoolAsync("network", TestNames.IPv4(26), 28);
        var network = IpPrefix.Parse(pool.Cidr).BlockAt(28, 1u).AddressAt(0u).ToString();

        var error = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.AllocateRequestedAsync(IpamDriver.NewHandle(), TestNames.Unique("node"), pool.Name, network));

        Assert.Equal(IpamErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(network, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _ipam.UsedAsync(pool.Name));
    }
}
