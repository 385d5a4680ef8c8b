using DistIpam.Api.V1;
using DistIpam.Ctl.Commands;

namespace DistIpam.Ctl.Tests.Commands;

public sealed class ReportOverlapTests
{
    [Fact]
    public void Of_ThreeReports_KeepsOnlyFindingsAllName()
    {
        var a = Orphan("10.244.0.5", 7);
        var b = Orphan("10.244.0.6", 8);
        var reports = new[] { Report([a, b], ["h1", "h2"], ["claim1"]), Report([a, b], ["h2"], ["claim1"]), Report([a], ["h2", "h3"], []) };

        var overlap = ReportOverlap.Of(reports);

        Assert.Equal(["10.244.0.5"], overlap.OrphanedAddresses.Select(o => o.Address));
        Assert.Equal(["h2"], overlap.HandlesWithoutAddresses);
        Assert.Empty(overlap.PendingClaims);
    }

    [Fact]
    public void Of_SameAddressOtherSequence_NotTheSameLeak()
    {
        var overlap = ReportOverlap.Of([Report([Orphan("10.244.0.5", 7)], [], []), Report([Orphan("10.244.0.5", 9)], [], [])]);

        Assert.Empty(overlap.OrphanedAddresses);
    }

    [Fact]
    public void Of_Duplicates_NeverPartOfARelease()
    {
        var report = Report([], [], []);
        report.Duplicates.Add("address 10.244.0.5 is held by 'x' and 'y'");

        Assert.Equal(0, ReportOverlap.Count(ReportOverlap.Of([report, report])));
    }

    private static LeakedAddress Orphan(string address, ulong sequence) =>
        new() { Pool = "pods-v4", Block = "10.244.0.0/26", Address = address, Sequence = sequence, Handle = "podnet/c/eth0" };

    private static ConsistencyReport Report(LeakedAddress[] orphans, string[] handles, string[] claims)
    {
        var report = new ConsistencyReport();
        report.OrphanedAddresses.AddRange(orphans);
        report.HandlesWithoutAddresses.AddRange(handles);
        report.PendingClaims.AddRange(claims);
        return report;
    }
}
