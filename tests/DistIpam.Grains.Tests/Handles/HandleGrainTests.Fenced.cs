using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Handles;

/// <summary>
/// A handle activation whose writes storage refuses (a silo declared dead while paused: the fenced
/// storage refuses every write of it) must free nothing: every release comes after a fenced write.
/// </summary>
public sealed partial class HandleGrainTests
{
    [Fact]
    public async Task ReleaseAsync_RecordRemovalRefused_FreesNothing()
    {
        var (v4, v6) = await DualStackPoolsAsync("fenced-release");
        var node = TestNames.Unique("node");
        var (handle, record) = await _ipam.AllocateNewAsync(node, v4, v6);
        var hold = cluster.Gate.HoldWrites(_ipam.Handle(handle).GetGrainId());

        var release = _ipam.Handle(handle).ReleaseAsync(node);
        await Task.WhenAny(hold.WriteArrived, release).WaitAsync(Eventually.DefaultTimeout);
        hold.Fail(new InvalidOperationException("write refused: this silo was declared dead (test)"));
        await Assert.ThrowsAnyAsync<Exception>(() => release);

        // Still held in the blocks: the activation that may not write freed none of them.
        Assert.Equal(1, await _ipam.UsedAsync(v4));
        Assert.Equal(1, await _ipam.UsedAsync(v6));

        // A later release by a healthy activation frees them.
        var released = await Eventually.SucceedsAsync(
            () => _ipam.Handle(handle).ReleaseAsync(node),
            e => e is IpamGrainException { Kind: IpamErrorKind.Unavailable },
            "a retried release of the reloaded handle");
        Assert.Equal(record.Leases.Select(l => l.Address).Order(), released.Select(l => l.Address).Order());
    }
}
