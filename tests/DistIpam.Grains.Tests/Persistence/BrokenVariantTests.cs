using DistIpam.Grains.Blocks;
using Orleans.Storage;

namespace DistIpam.Grains.Tests.Persistence;

/// <summary>
/// The group commit of the grains, observed through storage: the shared cluster answers only after
/// the write (rule 1); the broken variant answers before it, which is what the chaos suite's
/// checker-can-fail test relies on.
/// </summary>
[Collection(SharedCluster.Name)]
public sealed class BrokenVariantTests(ClusterFixture cluster)
{
    [Fact]
    public async Task AllocateAsync_CorrectVariant_AnswersOnlyAfterItsWriteIsLetThrough()
    {
        var ipam = new IpamDriver(cluster.Grains);
        var block = await ClaimedBlockAsync(ipam);
        var hold = cluster.Gate.HoldWrites(block.GetGrainId());

        var allocation = block.AllocateAsync("h1", PodIdentity.None);
        await hold.WriteArrived.WaitAsync(Eventually.DefaultTimeout);
        var answeredEarly = allocation.IsCompleted;
        hold.Release();
        var lease = await allocation;

        Assert.False(answeredEarly, "the block answered while its write was held");
        Assert.Contains(await StoredAsync(cluster.Storage, block), a => a.HandleId == "h1" && a.Sequence == lease.Sequence);
    }

    [Fact]
    public async Task AllocateAsync_AcknowledgeBeforeWrite_AnswersWhileItsWriteIsHeldAndWritesAfter()
    {
        var broken = new BrokenVariantCluster();
        await broken.InitializeAsync();
        try
        {
            var ipam = new IpamDriver(broken.Grains);
            var block = await ClaimedBlockAsync(ipam);
            var hold = broken.Gate.HoldWrites(block.GetGrainId());

            var lease = await block.AllocateAsync("h1", PodIdentity.None).WaitAsync(Eventually.DefaultTimeout);

            await hold.WriteArrived.WaitAsync(Eventually.DefaultTimeout);
            Assert.DoesNotContain(await StoredAsync(broken.Storage, block), a => a.HandleId == "h1");
            hold.Release();
            await Eventually.MatchesAsync(
                () => StoredAsync(broken.Storage, block),
                stored => stored.Any(a => a.HandleId == "h1" && a.Sequence == lease.Sequence),
                "the acknowledged allocation to be written after the hold ends",
                stored => $"{stored.Count} stored allocation(s)");
        }
        finally
        {
            await broken.DisposeAsync();
        }
    }

    private static async Task<IBlockGrain> ClaimedBlockAsync(IpamDriver ipam)
    {
        var pool = await ipam.CreatePoolAsync("group-commit", TestNames.IPv4(26), 28);
        var block = await ipam.Pool(pool.Name).ClaimBlockAsync(TestNames.Unique("node"), []);
        return ipam.Block(pool.Name, block);
    }

    private static async Task<IReadOnlyList<StoredAllocation>> StoredAsync(IGrainStorage storage, IBlockGrain block)
    {
        var stored = new GrainState<BlockState>();
        await storage.ReadStateAsync("block", block.GetGrainId(), stored);
        return stored.State?.Allocations ?? [];
    }
}
