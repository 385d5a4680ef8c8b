using System.Net;
using DistIpam.Core.Allocation;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>
/// Handle generations: a newer attempt of a handle replaces what an older one left, an equal or
/// older one reuses it, and a release fenced at a generation frees nothing newer
/// (docs/architecture.md, "Fencing").
/// </summary>
public sealed partial class BlockAllocatorTests
{
    [Fact]
    public void Allocate_SameGeneration_ReusesRecord()
    {
        var allocator = Create("10.0.0.0/26");
        var first = allocator.Allocate("h", Generation(3));

        Assert.Same(first, allocator.Allocate("h", Generation(3)));
        Assert.Same(first, allocator.Allocate("h", Generation(1)));
        Assert.Equal(1, allocator.Used);
    }

    [Fact]
    public void Allocate_NewerGeneration_ReplacesOlderRecordWithNewSequence()
    {
        var allocator = Create("10.0.0.0/26");
        var stale = allocator.Allocate("h", Generation(3));

        var fresh = allocator.Allocate("h", Generation(4));

        Assert.True(fresh.Sequence > stale.Sequence);
        Assert.Equal(4UL, fresh.Attributes.HandleGeneration);
        Assert.Equal(1, allocator.Used);
        Assert.False(allocator.Release(stale.Address, stale.Sequence));
        Assert.Same(fresh, allocator.FindByHandle("h"));
    }

    [Fact]
    public void ReleaseByHandle_FencedBelowHolderGeneration_FreesNothing()
    {
        var allocator = Create("10.0.0.0/26");
        var held = allocator.Allocate("h", Generation(5));

        Assert.Empty(allocator.ReleaseByHandle("h", maxGeneration: 4));
        Assert.Same(held, allocator.FindByHandle("h"));
        Assert.Equal([held], allocator.ReleaseByHandle("h", maxGeneration: 5));
        Assert.Equal(0, allocator.Used);
    }

    [Fact]
    public void AllocateSpecific_NewerGenerationAskingForOtherAddress_ReplacesOlderRecord()
    {
        var allocator = Create("10.0.0.0/26");
        var stale = allocator.Allocate("h", Generation(1));
        var wanted = IPAddress.Parse("10.0.0.40");

        var fresh = allocator.AllocateSpecific(wanted, "h", Generation(2));

        Assert.Equal(wanted, fresh.Address);
        Assert.Null(allocator.FindByAddress(stale.Address));
        Assert.Equal(1, allocator.Used);
    }

    [Fact]
    public void AllocateSpecific_NewerGenerationButAddressTakenByOther_FailsAndKeepsOlderRecord()
    {
        var allocator = Create("10.0.0.0/26");
        var stale = allocator.Allocate("h", Generation(1));
        var other = allocator.Allocate("other", s_none);

        Assert.ThrowsAny<Exception>(() => allocator.AllocateSpecific(other.Address, "h", Generation(2)));
        Assert.Same(stale, allocator.FindByHandle("h"));
    }

    [Fact]
    public void Snapshot_RoundTrip_KeepsGenerations()
    {
        var allocator = Create("10.0.0.0/26");
        allocator.Allocate("h", Generation(7));

        var restored = BlockAllocator.FromSnapshot(allocator.ToSnapshot(), new BlockAllocatorOptions(), _time);

        Assert.Equal(7UL, restored.FindByHandle("h")!.Attributes.HandleGeneration);
    }

    private static AllocationAttributes Generation(ulong generation) => new(HandleGeneration: generation);
}
