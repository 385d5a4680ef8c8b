using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Handles;

[Collection(SharedCluster.Name)]
public sealed partial class HandleGrainTests(ClusterFixture cluster)
{
    private readonly IpamDriver _ipam = new(cluster.Grains);

    [Fact]
    public async Task AllocateAsync_SameHandleTwice_ReturnsSameAddresses()
    {
        var (v4, v6) = await DualStackPoolsAsync("idem");
        var node = TestNames.Unique("node");
        var handle = IpamDriver.NewHandle();

        var first = await _ipam.AllocateAsync(handle, node, v4, v6);
        var second = await _ipam.AllocateAsync(handle, node, v4, v6);

        Assert.Equal(2, first.Leases.Count);
        Assert.Equal(first.Leases.Select(l => (l.Address, l.Sequence)), second.Leases.Select(l => (l.Address, l.Sequence)));
        Assert.Equal(1, await _ipam.UsedAsync(v4));
        Assert.Equal(1, await _ipam.UsedAsync(v6));
        Assert.Equal(first.Leases.Select(l => l.Address), (await _ipam.Handle(handle).GetAsync())!.Leases.Select(l => l.Address));
    }

    [Fact]
    public async Task AllocateAsync_SameHandleTenTimesConcurrently_TakesOneAddressPerFamily()
    {
        var (v4, v6) = await DualStackPoolsAsync("idem-burst");
        var node = TestNames.Unique("node");
        var handle = IpamDriver.NewHandle();

        var records = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _ipam.AllocateAsync(handle, node, v4, v6)));

        Assert.Single(records.Select(r => r.Leases[0].Address).Distinct());
        Assert.Single(records.Select(r => r.Leases[1].Address).Distinct());
        var v4Held = await _ipam.AllocationsAsync(v4);
        var v6Held = await _ipam.AllocationsAsync(v6);
        Assert.Equal([handle], v4Held.Select(l => l.HandleId));
        Assert.Equal([handle], v6Held.Select(l => l.HandleId));
    }

    [Fact]
    public async Task AllocateAsync_HeldHandleAskedForOtherPools_FailsWithFailedPreconditionNamingHeldAddress()
    {
        var (v4, v6) = await DualStackPoolsAsync("mismatch");
        var node = TestNames.Unique("node");
        var handle = IpamDriver.NewHandle();
        var held = await _ipam.AllocateAsync(handle, node, v4);

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.AllocateAsync(handle, node, v4, v6));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains(held.Leases[0].Address, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _ipam.UsedAsync(v6));
    }

    [Fact]
    public async Task ReleaseAsync_CalledTwice_FreesOnceThenReturnsEmpty()
    {
        var (v4, v6) = await DualStackPoolsAsync("release");
        var node = TestNames.Unique("node");
        var (handle, record) = await _ipam.AllocateNewAsync(node, v4, v6);

        var first = await _ipam.Handle(handle).ReleaseAsync(node);
        var second = await _ipam.Handle(handle).ReleaseAsync(node);

        Assert.Equal(record.Leases.Select(l => l.Address).Order(), first.Select(l => l.Address).Order());
        Assert.Empty(second);
        Assert.Null(await _ipam.Handle(handle).GetAsync());
        Assert.Equal(0, await _ipam.UsedAsync(v4));
        Assert.Equal(0, await _ipam.UsedAsync(v6));
    }

    [Fact]
    public async Task ReleaseAsync_UnknownHandle_ReturnsEmptyWithoutError()
    {
        var node = TestNames.Unique("node");

        Assert.Empty(await _ipam.Handle(IpamDriver.NewHandle()).ReleaseAsync(null));
        Assert.Empty(await _ipam.Handle(IpamDriver.NewHandle()).ReleaseAsync(node));
    }

    [Fact]
    public async Task AllocateAsync_SecondFamilyExhausted_FailsAndReleasesFirstFamily()
    {
        var v4 = (await _ipam.CreatePoolAsync("aon-v4", TestNames.IPv4(28), 28)).Name;

        // A /126 routed block holds 3 addresses (the network address is never handed out).
        var v6 = (await _ipam.CreatePoolAsync("aon-v6", TestNames.IPv6(126), 126, strictAffinity: true)).Name;
        var node = TestNames.Unique("node");
        await _ipam.AllocateNewAsync(node, v4);
        for (var i = 0; i < 3; i++)
        {
            await _ipam.AllocateNewAsync(node, v6);
        }

        var v4Before = await _ipam.AllocationsAsync(v4);
        var handle = IpamDriver.NewHandle();

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.AllocateAsync(handle, node, v4, v6));

        Assert.Equal(IpamErrorKind.Exhausted, error.Kind);
        Assert.Contains($"'{v6}'", error.Message, StringComparison.Ordinal);
        Assert.Null(await _ipam.Handle(handle).GetAsync());
        var v4After = await _ipam.AllocationsAsync(v4);
        Assert.Equal(v4Before.Select(l => (l.Address, l.HandleId)), v4After.Select(l => (l.Address, l.HandleId)));
        Assert.Equal(3, await _ipam.UsedAsync(v6));
    }

    private async Task<(string V4, string V6)> DualStackPoolsAsync(string purpose)
    {
        var v4 = await _ipam.CreatePoolAsync(purpose + "-v4", TestNames.IPv4(24), 26);
        var v6 = await _ipam.CreatePoolAsync(purpose + "-v6", TestNames.IPv6(64), 122);
        return (v4.Name, v6.Name);
    }
}
