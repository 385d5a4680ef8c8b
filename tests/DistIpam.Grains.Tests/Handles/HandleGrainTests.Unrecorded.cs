using DistIpam.Grains.Nodes;

namespace DistIpam.Grains.Tests.Handles;

/// <summary>Releasing what a handle's record does not hold (the reconciler's and the rollback's path).</summary>
public sealed partial class HandleGrainTests
{
    [Fact]
    public async Task ReleaseUnrecordedAsync_AddressInBlockWithoutRecord_Released()
    {
        var (v4, _) = await DualStackPoolsAsync("unrecorded");
        var node = TestNames.Unique("node");
        var handle = IpamDriver.NewHandle();

        // What an ADD leaves behind when its silo dies between the block write and the record write.
        var orphan = await _ipam.Node(node).AllocateAsync(new NodeAllocationRequest { Pool = v4, HandleId = handle });

        var released = await _ipam.Handle(handle).ReleaseUnrecordedAsync([orphan]);

        Assert.Equal([orphan.Address], released.Select(l => l.Address));
        Assert.Empty(await _ipam.AllocationsAsync(v4));
        Assert.Null(await _ipam.Handle(handle).GetAsync());
    }

    [Fact]
    public async Task ReleaseUnrecordedAsync_AddressTheRecordHolds_Kept()
    {
        var (v4, v6) = await DualStackPoolsAsync("recorded");
        var node = TestNames.Unique("node");
        var (handle, record) = await _ipam.AllocateNewAsync(node, v4, v6);

        var released = await _ipam.Handle(handle).ReleaseUnrecordedAsync(record.Leases);

        Assert.Empty(released);
        Assert.Equal(1, await _ipam.UsedAsync(v4));
        Assert.Equal(record.Leases, (await _ipam.Handle(handle).GetAsync())!.Leases);
    }

    /// <summary>
    /// A DEL without a record sweeps the node's blocks only up to the generation of its fence write:
    /// what a newer attempt of the handle took (here planted with a higher generation, as an
    /// activation that read the state after the fence would) stays held.
    /// </summary>
    [Fact]
    public async Task ReleaseAsync_SweepWithoutRecord_FreesOlderAttemptsButNotNewerGeneration()
    {
        var (v4, v6) = await DualStackPoolsAsync("sweep-fence");
        var node = TestNames.Unique("node");
        var handle = IpamDriver.NewHandle();
        var older = await _ipam.Node(node).AllocateAsync(new NodeAllocationRequest { Pool = v4, HandleId = handle, Pod = new() { Node = node, HandleGeneration = 1 } });
        var newer = await _ipam.Node(node).AllocateAsync(new NodeAllocationRequest { Pool = v6, HandleId = handle, Pod = new() { Node = node, HandleGeneration = 9 } });

        var swept = await _ipam.Handle(handle).ReleaseAsync(node);

        Assert.Equal([older.Address], swept.Select(l => l.Address));
        Assert.Empty(await _ipam.AllocationsAsync(v4));
        Assert.Equal([newer.Sequence], (await _ipam.AllocationsAsync(v6)).Select(l => l.Sequence));
    }

    /// <summary>
    /// The reconciler finds an orphan while the client's retried ADD is about to record that very
    /// address (the block answers the retry with the lease it already holds for the handle): in
    /// every interleaving the handle ends holding addresses its blocks still hold for it.
    /// </summary>
    [Fact]
    public async Task ReleaseUnrecordedAsync_RacingRetriedAllocate_RecordedAddressesStayHeld()
    {
        var (v4, _) = await DualStackPoolsAsync("unrecorded-race");
        var node = TestNames.Unique("node");
        for (var i = 0; i < 20; i++)
        {
            var handle = IpamDriver.NewHandle();
            var orphan = await _ipam.Node(node).AllocateAsync(new NodeAllocationRequest { Pool = v4, HandleId = handle });

            var retry = _ipam.AllocateAsync(handle, node, v4);
            var repair = _ipam.Handle(handle).ReleaseUnrecordedAsync([orphan]);
            await Task.WhenAll(retry, repair);

            var record = await retry;
            var held = (await _ipam.AllocationsAsync(v4)).Where(l => l.HandleId == handle).ToList();
            Assert.Equal(record.Leases.Select(l => (l.Address, l.Sequence)), held.Select(l => (l.Address, l.Sequence)));
        }
    }
}
