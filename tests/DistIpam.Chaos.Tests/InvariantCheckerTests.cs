using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Model;
using DistIpam.Chaos.Tests.Observation;
using DistIpam.Chaos.Tests.Schedules;
using DistIpam.Core.Addressing;
using Grpc.Core;

namespace DistIpam.Chaos.Tests;

/// <summary>The checker on hand-made histories: each kind of violation it exists for is reported, and a clean history is not.</summary>
public sealed class InvariantCheckerTests
{
    private const string A = "chaosnet/a/eth0";
    private const string B = "chaosnet/b/eth0";

    private static readonly IReadOnlyDictionary<string, PoolView> Pools = new Dictionary<string, PoolView>
    {
        ["pods-v4"] = new("pods-v4", IpPrefix.Parse("10.244.0.0/16"), [IpRange.Parse("10.244.0.0-10.244.0.15")]),
        ["pods-v6"] = new("pods-v6", IpPrefix.Parse("fd00:10:244::/56"), []),
    };

    [Fact]
    public void Check_ConsistentHistory_ReportsNothing()
    {
        var handles = new[] { HandleSnapshot.HeldBy(A, "n0", "10.244.1.2", "fd00:10:244::2"), HandleSnapshot.ReleasedBy(B, "n0") };
        var observed = Observed(
            [HandleObservation.Holding(A, "10.244.1.2", "fd00:10:244::2"), HandleObservation.Empty(B)],
            [Stored("pods-v4", "10.244.1.0/26", 2, A), Stored("pods-v6", "fd00:10:244::/122", 2, A)]);

        Assert.Empty(InvariantChecker.Check(handles, observed));
    }

    [Fact]
    public void Check_AddressHeldByTwoHandles_ReportsInvariant1()
    {
        var handles = new[] { HandleSnapshot.HeldBy(A, "n0", "10.244.1.2"), HandleSnapshot.HeldBy(B, "n1", "10.244.1.2") };
        var observed = Observed([HandleObservation.Holding(A, "10.244.1.2"), HandleObservation.Holding(B, "10.244.1.2")], [Stored("pods-v4", "10.244.1.0/26", 2, B)]);

        var violations = InvariantChecker.Check(handles, observed);

        Assert.Contains(violations, v => v.Invariant == 1 && v.What.Contains("10.244.1.2 is held by", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Invariant == 1 && v.What.Contains("storage records it for " + B, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_AcknowledgedAllocationGone_ReportsInvariant2()
    {
        var handles = new[] { HandleSnapshot.HeldBy(A, "n0", "10.244.1.2") };
        var observed = Observed([HandleObservation.Empty(A)], []);

        var violation = Assert.Single(InvariantChecker.Check(handles, observed));

        Assert.Equal(2, violation.Invariant);
        Assert.Contains("lost", violation.What, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReleasedHandleHoldsAgain_ReportsInvariant3()
    {
        var handles = new[] { HandleSnapshot.ReleasedBy(A, "n0") };
        var observed = Observed([HandleObservation.Holding(A, "10.244.1.9")], [Stored("pods-v4", "10.244.1.0/26", 9, A)]);

        var violations = InvariantChecker.Check(handles, observed);

        Assert.Equal(2, violations.Count(v => v.Invariant == 3));
    }

    [Fact]
    public void Check_DualStackHandleWithOneFamily_ReportsInvariant4()
    {
        var handles = new[] { HandleSnapshot.HeldBy(A, "n0", "10.244.1.2", "fd00:10:244::2") with { Status = HandleStatus.Unknown } };
        var observed = Observed([HandleObservation.Holding(A, "fd00:10:244::2")], [Stored("pods-v6", "fd00:10:244::/122", 2, A)]);

        var violations = InvariantChecker.Check(handles, observed);

        Assert.Equal(2, violations.Count(v => v.Invariant == 4));
    }

    [Fact]
    public void Check_AddressInReservedRangeOrBlockClaimedTwice_ReportsInvariant5()
    {
        var observed = Observed([], [Stored("pods-v4", "10.244.0.0/26", 5, A)]) with
        {
            Claims = [Claim("10.244.1.0/26", "n0"), Claim("10.244.1.0/26", "n1")],
        };

        var violations = InvariantChecker.Check([], observed);

        Assert.Contains(violations, v => v.Invariant == 5 && v.What.Contains("reserved range", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Invariant == 5 && v.What.Contains("claimed by n0 and n1", StringComparison.Ordinal));
    }

    [Fact]
    public void Allocated_SecondHandleGivenAHeldAddress_ReportsDuplicateAtOnce()
    {
        var log = new ViolationLog();
        var model = new AllocationModel(Pools, log);
        model.Allocated(model.For(Handle("a"), "n0"), FamilyChoice.V4, Reply("10.244.1.2"));
        model.Allocated(model.For(Handle("b"), "n1"), FamilyChoice.V4, Reply("10.244.1.2"));

        var violation = Assert.Single(log.All);

        Assert.Equal(1, violation.Invariant);
    }

    [Fact]
    public void Allocated_AddressFreedByAReleaseInFlight_IsNoDuplicate()
    {
        var log = new ViolationLog();
        var model = new AllocationModel(Pools, log);
        var first = model.For(Handle("a"), "n0");
        model.Allocated(first, FamilyChoice.V4, Reply("10.244.1.2"));
        model.ReleaseStarting(first);
        model.Allocated(model.For(Handle("b"), "n1"), FamilyChoice.V4, Reply("10.244.1.2"));

        Assert.Empty(log.All);
    }

    [Fact]
    public void CleanupCheck_LeftoverAllocationAndClaim_ReportsInvariant6()
    {
        var scope = new CheckScope("c1s1-", "chaosnet");
        var observed = Observed([], [Stored("pods-v4", "10.244.1.0/26", 3, "chaosnet/c1s1-n0h0/eth0")]) with { Claims = [Claim("10.244.1.0/26", "c1s1-n0")] };

        var violations = CleanupChecker.Check(scope, observed);

        Assert.Equal(2, violations.Count(v => v.Invariant == 6));
    }

    private static Handle Handle(string container) => new() { Network = "chaosnet", ContainerId = container, Interface = "eth0" };

    private static CallOutcome<AllocateResponse> Reply(params string[] addresses)
    {
        var reply = new AllocateResponse();
        reply.Addresses.AddRange(addresses.Select(a => new AllocatedAddress { Address = a + "/26", Pool = a.Contains(':', StringComparison.Ordinal) ? "pods-v6" : "pods-v4" }));
        return new CallOutcome<AllocateResponse>(CallStatus.Succeeded, reply, StatusCode.OK, "", 1);
    }

    private static StoredBlockView Stored(string pool, string block, int offset, string handle)
    {
        var address = IpPrefix.Parse(block).AddressAt((UInt128)offset).ToString();
        return new StoredBlockView(pool, block, "n0", [new StoredAllocationView(pool, block, address, handle, 1, "n0")]);
    }

    private static BlockInfo Claim(string cidr, string node) => new() { Pool = "pods-v4", Cidr = cidr, Node = node, Claim = "confirmed" };

    private static ObservedState Observed(IEnumerable<HandleObservation> checks, IEnumerable<StoredBlockView> stored) =>
        new(checks.ToDictionary(c => c.Key, StringComparer.Ordinal), [.. stored], [], new ConsistencyReport(), [], Pools);
}
