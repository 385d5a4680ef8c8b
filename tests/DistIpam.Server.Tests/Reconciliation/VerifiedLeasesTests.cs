using DistIpam.Grains.Blocks;
using DistIpam.Server.Reconciliation;

namespace DistIpam.Server.Tests.Reconciliation;

public sealed class VerifiedLeasesTests
{
    private const long Cutoff = 1_000;

    [Fact]
    public void NeedsRead_NothingVerified_ReadsOldEnoughOnly()
    {
        var verified = new VerifiedLeases();

        Assert.True(verified.NeedsRead([Lease("10.0.0.1", 1, at: 500)], Cutoff));
        Assert.False(verified.NeedsRead([Lease("10.0.0.1", 1, at: 1_500)], Cutoff));
    }

    [Fact]
    public void NeedsRead_KeptByTheLastScan_SkipsTheHandleUntilANewAllocationAppears()
    {
        var verified = new VerifiedLeases();
        verified.Keep([Lease("10.0.0.1", 1, at: 500)]);
        verified.EndScan();

        Assert.False(verified.NeedsRead([Lease("10.0.0.1", 1, at: 500)], Cutoff));
        Assert.True(verified.NeedsRead([Lease("10.0.0.1", 1, at: 500), Lease("fd00::1", 2, at: 600)], Cutoff));

        // The same address allocated again (a new sequence) is a different allocation.
        Assert.True(verified.NeedsRead([Lease("10.0.0.1", 7, at: 700)], Cutoff));
    }

    [Fact]
    public void EndScan_AllocationNotKeptThisScan_IsReadAgainNextTime()
    {
        var verified = new VerifiedLeases();
        verified.Keep([Lease("10.0.0.1", 1, at: 500), Lease("10.0.0.2", 2, at: 500)]);
        verified.EndScan();

        verified.Keep([Lease("10.0.0.2", 2, at: 500)]);
        verified.EndScan();

        Assert.Equal(1, verified.Count);
        Assert.True(verified.NeedsRead([Lease("10.0.0.1", 1, at: 500)], Cutoff));
    }

    [Fact]
    public void Forget_AfterVerifying_ReadsEveryHandleAgain()
    {
        var verified = new VerifiedLeases();
        verified.Keep([Lease("10.0.0.1", 1, at: 500)]);
        verified.EndScan();

        verified.Forget();

        Assert.True(verified.NeedsRead([Lease("10.0.0.1", 1, at: 500)], Cutoff));
    }

    private static AddressLease Lease(string address, ulong sequence, long at) => new()
    {
        Pool = "pods-v4",
        Block = "10.0.0.0/26",
        Address = address,
        Sequence = sequence,
        HandleId = "net/c1/eth0",
        AllocatedAtUnixMs = at,
    };
}
