using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Nodes;

/// <summary>No write, no answer (rule 1) for the node's own state, observed through a held write.</summary>
public sealed partial class NodeGrainTests
{
    [Fact]
    public async Task AllocateAsync_LeaseInABlockWhoseNodeWriteFails_FailsInsteadOfAnswering()
    {
        var pool = (await _ipam.CreatePoolAsync("node-durable", TestNames.IPv4(26), 28)).Name;
        var node = TestNames.Unique("node");
        var hold = cluster.Gate.HoldWrites(_ipam.Node(node).GetGrainId());

        // The first ADD claims a block and adds it to the node; the node's write of that is held.
        var first = _ipam.AllocateNewAsync(node, pool);
        await hold.WriteArrived.WaitAsync(Eventually.DefaultTimeout);

        // The second ADD finds the block in the node's memory and takes an address in it.
        var secondHandle = IpamDriver.NewHandle();
        var second = _ipam.AllocateAsync(secondHandle, node, pool);
        await Eventually.MatchesAsync(
            () => _ipam.AllocationsAsync(pool),
            leases => leases.Any(l => l.HandleId == secondHandle) || second.IsCompleted,
            "the second ADD's address to be in the block",
            leases => $"{leases.Count} allocation(s)");

        // The node's write fails, as in a storage outage: the block was never durably the node's, so
        // a drain would not find it. Neither ADD may be acknowledged.
        hold.Fail(new TimeoutException("storage outage (test)"));

        var secondError = await Assert.ThrowsAsync<IpamGrainException>(() => second);
        var firstError = await Assert.ThrowsAsync<IpamGrainException>(() => first);
        Assert.Equal(IpamErrorKind.Unavailable, secondError.Kind);
        Assert.Equal(IpamErrorKind.Unavailable, firstError.Kind);
    }

    [Fact]
    public async Task ReleaseAllAsync_NodeWriteRefused_FreesNothing()
    {
        // A drain at an activation whose writes storage refuses (its silo was declared dead while
        // paused; the drain's client was answered by another silo since) must free no pod.
        var pool = (await _ipam.CreatePoolAsync("node-fenced-drain", TestNames.IPv4(26), 28)).Name;
        var node = TestNames.Unique("node");
        await _ipam.AllocateNewAsync(node, pool);
        await _ipam.AllocateNewAsync(node, pool);
        var hold = cluster.Gate.HoldWrites(_ipam.Node(node).GetGrainId());

        var drain = _ipam.Node(node).ReleaseAllAsync(long.MaxValue);
        await Task.WhenAny(hold.WriteArrived, drain).WaitAsync(Eventually.DefaultTimeout);
        hold.Fail(new InvalidOperationException("write refused: this silo was declared dead (test)"));
        await Assert.ThrowsAnyAsync<Exception>(() => drain);

        Assert.Equal(2, await _ipam.UsedAsync(pool));
    }
}
