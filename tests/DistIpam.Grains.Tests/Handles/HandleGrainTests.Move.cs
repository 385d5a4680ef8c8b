using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Handles;

namespace DistIpam.Grains.Tests.Handles;

/// <summary>
/// Moving addresses between handles (the node agent gives a pod a reserve slot's addresses,
/// docs/agent.md): the addresses are never free in between, an interrupted move is finished by a
/// repeat or freed by a DEL, and the reconciler never frees what a pending move holds.
/// </summary>
public sealed partial class HandleGrainTests
{
    [Fact]
    public async Task MoveFromAsync_SourceHoldsExpected_MovesWithoutFreeingAndSourceForgets()
    {
        var (v4, v6) = await DualStackPoolsAsync("move");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4, v6);
        var pod = IpamDriver.NewHandle();

        var moved = await _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));

        Assert.Equal(held.Leases.Select(l => l.Address), moved.Leases.Select(l => l.Address));
        Assert.All(moved.Leases, l => Assert.Equal(pod, l.HandleId));
        Assert.All(moved.Leases.Zip(held.Leases), p => Assert.True(p.First.Sequence > p.Second.Sequence));
        Assert.Null(await _ipam.Handle(reserve).GetAsync());
        Assert.Equal(1, await _ipam.UsedAsync(v4));
        Assert.Equal(1, await _ipam.UsedAsync(v6));

        // The reserve handle's late DEL frees nothing of the pod's; the pod's DEL frees them.
        Assert.Empty(await _ipam.Handle(reserve).ReleaseAsync(node));
        Assert.Equal(2, (await _ipam.Handle(pod).ReleaseAsync(node)).Count);
        Assert.Equal(0, await _ipam.UsedAsync(v4));
    }

    [Fact]
    public async Task MoveFromAsync_Repeated_ReturnsSameRecord()
    {
        var (v4, v6) = await DualStackPoolsAsync("move-again");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4, v6);
        var pod = IpamDriver.NewHandle();

        var first = await _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));
        var second = await _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));

        Assert.Equal(first.Leases, second.Leases);
    }

    [Fact]
    public async Task MoveFromAsync_SourceHoldsOtherAddresses_FailsNamingBothAndMovesNothing()
    {
        var (v4, _) = await DualStackPoolsAsync("move-mismatch");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4);
        var pod = IpamDriver.NewHandle();
        var request = MoveRequest(reserve, node, held) with { ExpectedAddresses = ["10.255.255.1"] };

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Handle(pod).MoveFromAsync(request));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains(held.Leases[0].Address, error.Message, StringComparison.Ordinal);
        Assert.Contains("10.255.255.1", error.Message, StringComparison.Ordinal);
        Assert.Equal(held.Leases, (await _ipam.Handle(reserve).GetAsync())!.Leases);
        Assert.Null(await _ipam.Handle(pod).GetAsync());
    }

    [Fact]
    public async Task MoveFromAsync_SourceOnAnotherNodeOrEmpty_Refused()
    {
        var (v4, _) = await DualStackPoolsAsync("move-node");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4);

        var otherNode = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.Handle(IpamDriver.NewHandle()).MoveFromAsync(MoveRequest(reserve, "some-other-node", held)));
        var empty = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.Handle(IpamDriver.NewHandle()).MoveFromAsync(MoveRequest(IpamDriver.NewHandle(), node, held)));

        Assert.Equal(IpamErrorKind.FailedPrecondition, otherNode.Kind);
        Assert.Equal(IpamErrorKind.NotFound, empty.Kind);
        Assert.Equal(held.Leases, (await _ipam.Handle(reserve).GetAsync())!.Leases);
    }

    /// <summary>
    /// The pod handle's record write fails after the blocks moved the addresses: the addresses stay
    /// held (the reconciler's release of what no record holds frees none of them, since the pending
    /// move is durable), and a repeat finishes the move.
    /// </summary>
    [Fact]
    public async Task MoveFromAsync_RecordWriteFailsAfterBlocksMoved_ReconcilerFreesNothingAndRepeatFinishes()
    {
        var (v4, v6) = await DualStackPoolsAsync("move-torn");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4, v6);
        var pod = IpamDriver.NewHandle();
        var hold = cluster.Gate.HoldWrites(_ipam.Handle(pod).GetGrainId(), passFirst: 1);

        var move = _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));
        await Task.WhenAny(hold.WriteArrived, move).WaitAsync(Eventually.DefaultTimeout);
        hold.Fail(new InvalidOperationException("storage away (test)"));
        await Assert.ThrowsAnyAsync<Exception>(() => move);

        var inBlocks = (await _ipam.AllocationsAsync(v4)).Concat(await _ipam.AllocationsAsync(v6)).ToList();
        Assert.All(inBlocks, l => Assert.Equal(pod, l.HandleId));
        var released = await Eventually.SucceedsAsync(
            () => _ipam.Handle(pod).ReleaseUnrecordedAsync(inBlocks),
            e => e is IpamGrainException { Kind: IpamErrorKind.Unavailable },
            "the reconciler's release of the pod handle's unrecorded addresses");
        Assert.Empty(released);
        Assert.Equal(1, await _ipam.UsedAsync(v4));

        var finished = await _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));

        Assert.Equal(inBlocks.Select(l => l.Sequence).Order(), finished.Leases.Select(l => l.Sequence).Order());
        Assert.Null(await _ipam.Handle(reserve).GetAsync());
    }

    /// <summary>A move that stopped half way (one block refused its write) is freed by the pod's DEL, even one without a node.</summary>
    [Fact]
    public async Task MoveFromAsync_UnfinishedThenDeleted_FreesWhatMovedAndTheSourceFreesTheRest()
    {
        var (v4, v6) = await DualStackPoolsAsync("move-half");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4, v6);
        var pod = IpamDriver.NewHandle();
        var v6Lease = held.Leases.Single(l => l.Pool == v6);
        var hold = cluster.Gate.HoldWrites(_ipam.Block(v6Lease).GetGrainId());

        var move = _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));
        await Task.WhenAny(hold.WriteArrived, move).WaitAsync(Eventually.DefaultTimeout);
        hold.Fail(new InvalidOperationException("storage away (test)"));
        await Assert.ThrowsAnyAsync<Exception>(() => move);

        var podReleased = await Eventually.SucceedsAsync(
            () => _ipam.Handle(pod).ReleaseAsync(node: null),
            e => e is IpamGrainException { Kind: IpamErrorKind.Unavailable },
            "the pod's DEL");
        var reserveReleased = await Eventually.SucceedsAsync(
            () => _ipam.Handle(reserve).ReleaseAsync(node),
            e => e is IpamGrainException { Kind: IpamErrorKind.Unavailable },
            "the reserve handle's release");

        Assert.Equal([held.Leases.Single(l => l.Pool == v4).Address], podReleased.Select(l => l.Address));
        Assert.Equal([v6Lease.Address], reserveReleased.Select(l => l.Address));
        Assert.Equal(0, await _ipam.UsedAsync(v4));
        Assert.Equal(0, await _ipam.UsedAsync(v6));

        // The dropped pending move cannot be finished later: the source holds nothing any more.
        var late = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held)));
        Assert.Equal(IpamErrorKind.NotFound, late.Kind);
    }

    /// <summary>The source's write (forgetting the moved addresses) fails: the move fails, and its repeat makes the source forget.</summary>
    [Fact]
    public async Task MoveFromAsync_SourceCannotForget_FailsThenRepeatFinishes()
    {
        var (v4, v6) = await DualStackPoolsAsync("move-forget");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4, v6);
        var pod = IpamDriver.NewHandle();
        var hold = cluster.Gate.HoldWrites(_ipam.Handle(reserve).GetGrainId());

        var move = _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));
        await Task.WhenAny(hold.WriteArrived, move).WaitAsync(Eventually.DefaultTimeout);
        hold.Fail(new InvalidOperationException("storage away (test)"));
        await Assert.ThrowsAnyAsync<Exception>(() => move);

        var finished = await Eventually.SucceedsAsync(
            () => _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held)),
            e => e is IpamGrainException { Kind: IpamErrorKind.Unavailable },
            "a repeated move");

        Assert.Equal(held.Leases.Select(l => l.Address), finished.Leases.Select(l => l.Address));
        Assert.Null(await _ipam.Handle(reserve).GetAsync());
        Assert.Equal(1, await _ipam.UsedAsync(v4));
    }

    [Fact]
    public async Task AllocateAsync_MovePending_RefusedNamingTheSource()
    {
        var (v4, _) = await DualStackPoolsAsync("move-then-add");
        var node = TestNames.Unique("node");
        var (reserve, held) = await _ipam.AllocateNewAsync(node, v4);
        var pod = IpamDriver.NewHandle();
        var hold = cluster.Gate.HoldWrites(_ipam.Block(held.Leases[0]).GetGrainId());
        var move = _ipam.Handle(pod).MoveFromAsync(MoveRequest(reserve, node, held));
        await Task.WhenAny(hold.WriteArrived, move).WaitAsync(Eventually.DefaultTimeout);
        hold.Fail(new InvalidOperationException("storage away (test)"));
        await Assert.ThrowsAnyAsync<Exception>(() => move);

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.AllocateAsync(pod, node, v4));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains(reserve, error.Message, StringComparison.Ordinal);
    }

    private static HandleMoveRequest MoveRequest(string from, string node, HandleRecord held) => new()
    {
        FromHandle = from,
        Node = node,
        ExpectedAddresses = [.. held.Leases.Select(l => l.Address)],
        Pod = new PodIdentity { Namespace = "default", Name = "moved-pod" },
    };
}
