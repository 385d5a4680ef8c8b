using DistIpam.Api.V1;

namespace DistIpam.Server.Tests;

/// <summary>
/// Pools.ReleaseFromReport acts only on what is still wrong when it runs: a report is old by then,
/// and the handles it names may have been released and added again since.
/// </summary>
public sealed class ReleaseFromReportTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ReleaseFromReport_HandleWhoseRecordIsNoLongerStale_KeepsItsAddresses()
    {
        var handle = TestHandles.New();
        var node = TestHandles.UniqueId("node");
        var held = await fixture.Ipam.AllocateAsync(TestHandles.Allocate(handle, node));
        var oldReport = new ConsistencyReport();
        oldReport.HandlesWithoutAddresses.Add(TestHandles.KeyOf(handle));

        var response = await fixture.Pools.ReleaseFromReportAsync(new ReleaseFromReportRequest { Report = oldReport });

        Assert.Empty(response.Errors);
        var check = await fixture.Ipam.CheckAsync(TestHandles.Check(handle, held.Addresses.Select(a => a.Address)));
        Assert.Equal(held.Addresses.Count, check.Addresses.Count);
    }

    [Fact]
    public async Task ReleaseFromReport_UnknownHandle_NothingAndNoError()
    {
        var report = new ConsistencyReport();
        report.HandlesWithoutAddresses.Add(TestHandles.KeyOf(TestHandles.New()));

        var response = await fixture.Pools.ReleaseFromReportAsync(new ReleaseFromReportRequest { Report = report });

        Assert.Empty(response.Errors);
        Assert.Equal(0, response.AddressesReleased);
    }
}
