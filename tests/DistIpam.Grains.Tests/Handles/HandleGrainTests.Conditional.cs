namespace DistIpam.Grains.Tests.Handles;

/// <summary>Releases that check their condition in the handle's own turn (the consistency repair's and the GC's).</summary>
public sealed partial class HandleGrainTests
{
    [Fact]
    public async Task ReleaseIfStaleAsync_RecordMatchesBlocks_NothingReleased()
    {
        var (v4, v6) = await DualStackPoolsAsync("stale-not");
        var (handle, record) = await _ipam.AllocateNewAsync(TestNames.Unique("node"), v4, v6);

        Assert.Null(await _ipam.Handle(handle).ReleaseIfStaleAsync());
        Assert.Equal(record.Leases, (await _ipam.Handle(handle).GetAsync())!.Leases);
    }

    [Fact]
    public async Task ReleaseIfStaleAsync_BlockLostOneAddress_ReleasesTheRestAndDropsTheRecord()
    {
        var (v4, v6) = await DualStackPoolsAsync("stale");
        var (handle, record) = await _ipam.AllocateNewAsync(TestNames.Unique("node"), v4, v6);
        var lost = record.Leases.Single(l => l.Pool == v4);
        Assert.True(await _ipam.Block(lost).ReleaseAsync(lost.Address, lost.Sequence));

        var released = await _ipam.Handle(handle).ReleaseIfStaleAsync();

        Assert.Equal([record.Leases.Single(l => l.Pool == v6).Address], released!.Select(l => l.Address));
        Assert.Null(await _ipam.Handle(handle).GetAsync());
        Assert.Equal(0, await _ipam.UsedAsync(v6));
    }

    [Fact]
    public async Task ReleaseIfHoldsAsync_RecordChangedSince_NothingReleased()
    {
        var (v4, v6) = await DualStackPoolsAsync("holds");
        var node = TestNames.Unique("node");
        var (handle, before) = await _ipam.AllocateNewAsync(node, v4, v6);
        await _ipam.Handle(handle).ReleaseAsync(node);
        var after = await _ipam.AllocateAsync(handle, node, v4, v6);

        Assert.Null(await _ipam.Handle(handle).ReleaseIfHoldsAsync(before.Leases));
        Assert.Equal(after.Leases, (await _ipam.Handle(handle).GetAsync())!.Leases);

        var released = await _ipam.Handle(handle).ReleaseIfHoldsAsync(after.Leases);
        Assert.Equal(2, released!.Count);
    }
}
