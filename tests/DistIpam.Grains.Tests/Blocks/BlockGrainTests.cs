using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using Orleans.Storage;

namespace DistIpam.Grains.Tests.Blocks;

[Collection(SharedCluster.Name)]
public sealed class BlockGrainTests(ClusterFixture cluster)
{
    // The state name in BlockGrain's [PersistentState("block", ...)].
    private const string StateName = "block";

    private readonly IpamDriver _ipam = new(cluster.Grains);

    [Fact]
    public async Task AllocateAsync_SameHandleTwice_ReturnsSameLease()
    {
        var (_, block) = await ClaimedBlockAsync("block-idem");

        var first = await block.AllocateAsync("h1", PodIdentity.None);
        var second = await block.AllocateAsync("h1", PodIdentity.None);

        Assert.Equal((first.Address, first.Sequence), (second.Address, second.Sequence));
        Assert.Equal(1, (await block.GetUsageAsync()).Used);
    }

    [Fact]
    public async Task ReleaseAsync_StaleSequence_FreesNothing()
    {
        var (_, block) = await ClaimedBlockAsync("block-aba");
        var lease = await block.AllocateAsync("h1", PodIdentity.None);

        Assert.False(await block.ReleaseAsync(lease.Address, lease.Sequence + 1));
        Assert.Equal(1, (await block.GetUsageAsync()).Used);
        Assert.True(await block.ReleaseAsync(lease.Address, lease.Sequence));
        Assert.False(await block.ReleaseAsync(lease.Address, lease.Sequence));
        Assert.Equal(0, (await block.GetUsageAsync()).Used);
    }

    [Fact]
    public async Task AllocateAsync_BlockNotClaimed_FailsWithFailedPrecondition()
    {
        var pool = await _ipam.CreatePoolAsync("block-unclaimed", TestNames.IPv4(26), 28);
        var block = _ipam.Block(pool.Name, IpPrefix.Parse(pool.Cidr).BlockAt(28, 3u).ToString());

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => block.AllocateAsync("h1", PodIdentity.None));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains($"'{pool.Name}'", error.Message, StringComparison.Ordinal);
        Assert.False(await block.ReleaseAsync(IpPrefix.Parse(pool.Cidr).BlockAt(28, 3u).AddressAt(1u).ToString(), 1));
    }

    [Fact]
    public async Task AllocateAsync_StoredStateChangedBehindTheActivation_FailsThenReloadsAndKeepsStoredAddress()
    {
        var (blockCidr, block) = await ClaimedBlockAsync("block-etag");
        var first = await block.AllocateAsync("h1", PodIdentity.None);

        // A second activation of the block (possible during membership changes) takes the
        // address this activation would hand out next and writes it: the stored ETag moves on.
        var stored = new GrainState<BlockState>();
        await cluster.Storage.ReadStateAsync(StateName, block.GetGrainId(), stored);
        Assert.NotNull(stored.ETag);
        var state = Assert.IsType<BlockState>(stored.State);
        var ghostOffset = NextFreeOffset(state, IpPrefix.Parse(blockCidr));
        state.Allocations.Add(new StoredAllocation
        {
            Offset = ghostOffset,
            HandleId = "ghost",
            Sequence = state.NextSequence,
            AllocatedAtUnixMs = first.AllocatedAtUnixMs,
        });
        state.NextSequence++;
        await cluster.Storage.WriteStateAsync(StateName, block.GetGrainId(), stored);
        var ghostAddress = IpPrefix.Parse(blockCidr).AddressAt((uint)ghostOffset).ToString();

        var failure = await Record.ExceptionAsync(() => block.AllocateAsync("h2", PodIdentity.None));

        Assert.True(
            IsRetryable(failure),
            $"expected the stale activation's write to fail with InconsistentStateException or Unavailable; got {failure?.GetType().Name ?? "success"}: {failure?.Message}");

        var retried = await Eventually.SucceedsAsync(
            () => block.AllocateAsync("h2", PodIdentity.None),
            IsRetryable,
            "allocating on a fresh activation of the block");
        Assert.NotEqual(ghostAddress, retried.Address);
        Assert.NotEqual(first.Address, retried.Address);
        var held = (await block.ListAllocationsAsync()).Select(l => (l.Address, l.HandleId)).Order().ToList();
        Assert.Equal(new[] { (first.Address, "h1"), (ghostAddress, "ghost"), (retried.Address, "h2") }.Order(), held);
    }

    private static bool IsRetryable(Exception? e) =>
        e is InconsistentStateException or IpamGrainException { Kind: IpamErrorKind.Unavailable };

    // The next-fit cursor points at the address the activation hands out next (routed pool: only
    // the network and broadcast addresses are excluded).
    private static int NextFreeOffset(BlockState state, IpPrefix block)
    {
        var size = (int)block.Size;
        for (var i = 0; i < size; i++)
        {
            var offset = (state.Cursor + i) % size;
            if (offset != 0 && offset != size - 1 && state.Allocations.All(a => a.Offset != offset))
            {
                return offset;
            }
        }

        throw new InvalidOperationException($"block {block} is full");
    }

    [Fact]
    public async Task RetireIfEmptyAsync_ThenInitialize_KeepsTheRunningCooldownsForTheNextOwner()
    {
        // Two addresses released just before the block is returned must still rest (30 s) when the
        // next owner claims it; BlockAllocator.FromRetired then hands them out last (Core tests).
        var (cidr, block) = await ClaimedBlockAsync("block-retire-cool");
        var firstOwner = (await block.GetUsageAsync()).Owner!;
        var released = new List<int>();
        foreach (var handle in new[] { "a", "b" })
        {
            var lease = await block.AllocateAsync(handle, PodIdentity.None);
            Assert.True(await block.ReleaseAsync(lease.Address, lease.Sequence));
            released.Add((int)IpPrefix.Parse(cidr).OffsetOf(System.Net.IPAddress.Parse(lease.Address)));
        }

        Assert.True(await block.RetireIfEmptyAsync(firstOwner));
        var retired = await StoredAsync(block);
        Assert.Null(retired.Settings);
        Assert.Equal(released, retired.Cooldowns.Select(c => c.Offset).Order());

        var nextOwner = TestNames.Unique("next-owner");
        await block.InitializeAsync(new BlockSettings { Owner = nextOwner, Reserved = [], ReleaseCooldown = TimeSpan.FromSeconds(30) });
        var claimed = await StoredAsync(block);
        Assert.Equal(nextOwner, claimed.Settings?.Owner);
        Assert.Equal(released, claimed.Cooldowns.Select(c => c.Offset).Order());
        Assert.True(claimed.NextSequence > 2, "sequences continue across the retirement");
    }

    private async Task<BlockState> StoredAsync(IBlockGrain block)
    {
        var stored = new GrainState<BlockState>();
        await cluster.Storage.ReadStateAsync(StateName, block.GetGrainId(), stored);
        return Assert.IsType<BlockState>(stored.State);
    }

    private async Task<(string Cidr, IBlockGrain Grain)> ClaimedBlockAsync(string purpose)
    {
        var pool = await _ipam.CreatePoolAsync(purpose, TestNames.IPv4(26), 28);
        var cidr = await _ipam.Pool(pool.Name).ClaimBlockAsync(TestNames.Unique("node"), []);
        return (cidr, _ipam.Block(pool.Name, cidr));
    }
}
