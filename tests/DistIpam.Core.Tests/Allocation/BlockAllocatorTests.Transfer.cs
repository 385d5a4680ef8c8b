using System.Net;
using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>
/// Moving an address between handles (the node agent's reserve, docs/agent.md): the address is
/// never free in between, and the old holder's sequence number frees nothing afterwards.
/// </summary>
public sealed partial class BlockAllocatorTests
{
    [Fact]
    public void Transfer_HeldAddress_MovesWithNewSequenceAndNeverFreesIt()
    {
        var allocator = Create("10.0.0.0/30");
        var reserve = allocator.Allocate("reserve", Generation(1));
        var other = allocator.Allocate("other", Generation(1));

        var moved = allocator.Transfer(reserve.Address, reserve.Sequence, "pod", Generation(2));

        Assert.NotNull(moved);
        Assert.Equal(reserve.Address, moved.Address);
        Assert.Equal("pod", moved.HandleId);
        Assert.True(moved.Sequence > other.Sequence);
        Assert.Equal(2, allocator.Used);
        Assert.Null(allocator.FindByHandle("reserve"));
        Assert.Same(moved, allocator.FindByHandle("pod"));

        // A late release of the reserve handle's allocation frees nothing, and the block stays full.
        Assert.False(allocator.Release(reserve.Address, reserve.Sequence));
        Assert.Throws<PoolExhaustedException>(() => allocator.Allocate("third", Generation(1)));
    }

    [Fact]
    public void Transfer_Repeated_ReturnsTheMovedRecord()
    {
        var allocator = Create("10.0.0.0/26");
        var reserve = allocator.Allocate("reserve", Generation(1));
        var moved = allocator.Transfer(reserve.Address, reserve.Sequence, "pod", Generation(2));

        Assert.Same(moved, allocator.Transfer(reserve.Address, reserve.Sequence, "pod", Generation(2)));
        var restamped = allocator.Transfer(reserve.Address, reserve.Sequence, "pod", Generation(5));

        Assert.Equal(moved!.Sequence, restamped!.Sequence);
        Assert.Equal(5UL, restamped.Attributes.HandleGeneration);
        Assert.Equal(1, allocator.Used);
    }

    [Fact]
    public void Transfer_StaleSequenceOrFreeAddress_ChangesNothing()
    {
        var allocator = Create("10.0.0.0/26");
        var first = allocator.Allocate("reserve", Generation(1));
        allocator.Release(first.Address, first.Sequence);
        var reissued = allocator.AllocateSpecific(first.Address, "someone", Generation(1));

        Assert.Null(allocator.Transfer(first.Address, first.Sequence, "pod", Generation(2)));
        Assert.Null(allocator.Transfer(IPAddress.Parse("10.0.0.9"), 1, "pod", Generation(2)));
        Assert.Same(reissued, allocator.FindByAddress(first.Address));
        Assert.Null(allocator.FindByHandle("pod"));
    }

    [Fact]
    public void Transfer_TargetHoldsAnotherAddressHere_RefusedUnlessOlderGeneration()
    {
        var allocator = Create("10.0.0.0/26");
        var reserve = allocator.Allocate("reserve", Generation(1));
        var podOwn = allocator.Allocate("pod", Generation(3));

        Assert.Throws<AddressNotAllocatableException>(() => allocator.Transfer(reserve.Address, reserve.Sequence, "pod", Generation(3)));
        Assert.Same(reserve, allocator.FindByHandle("reserve"));

        var moved = allocator.Transfer(reserve.Address, reserve.Sequence, "pod", Generation(4));

        Assert.Equal(reserve.Address, moved!.Address);
        Assert.Null(allocator.FindByAddress(podOwn.Address));
        Assert.Equal(1, allocator.Used);
    }

    [Fact]
    public void Transfer_ThenSnapshotRestore_KeepsMovedRecordAndSequence()
    {
        var allocator = Create("10.0.0.0/26");
        var reserve = allocator.Allocate("reserve", Generation(1));
        var moved = allocator.Transfer(reserve.Address, reserve.Sequence, "pod", Generation(2))!;

        var restored = BlockAllocator.FromSnapshot(BlockRun.JsonRoundTrip(allocator.ToSnapshot()), new BlockAllocatorOptions(), _time);

        Assert.Equal(moved.Sequence, restored.FindByHandle("pod")!.Sequence);
        Assert.Null(restored.FindByHandle("reserve"));
        Assert.True(restored.Allocate("next", Generation(1)).Sequence > moved.Sequence);
    }
}
