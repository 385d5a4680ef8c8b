using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// <c>check</c> finding planted leaks and <c>release --from-report</c> fixing exactly those. A leak is
/// planted as a crash leaves one: the block records the allocation, the handle's record is gone
/// (deleted from the stopped server's store). The server's own reconciler is off, so only the CLI repairs.
/// </summary>
public sealed class LeakRepairTests : IAsyncLifetime
{
    private readonly string _reports = Path.Combine(Path.GetTempPath(), $"distipam-reports-{Guid.NewGuid():N}");
    private ServerProcess? _server;

    private ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    private string Endpoint => $"127.0.0.1:{Server.GrpcPort}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_reports);
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "ctl-leaks", Arguments = ["--DistIpam:Reconcile:Enabled=false", "--DistIpam:Metrics:SampleInterval=00:00:00.500"] });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_reports, recursive: true);
    }

    [Fact]
    public async Task CheckThenReleaseFromReport_PlantedLeaks_ReleasesExactlyThoseStillLeaked()
    {
        var node = TestIds.Unique("node");
        var (leakA, leakB, live) = (TestIds.NewHandle(), TestIds.NewHandle(), TestIds.NewHandle());
        var client = new DistIpamClient(Endpoint);
        var a = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = leakA, Node = node });
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = leakB, Node = node });
        var kept = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = live, Node = node });
        client.Dispose();
        await Server.StopAsync();
        ForgetHandles(leakA, leakB);
        await Server.RestartAsync();
        var first = Path.Combine(_reports, "first.json");

        var check = (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", first)).Expect(ExitCodes.Ok);
        // B is released by its owner in the meantime (a DEL sweeping the node): no longer leaked.
        (await CtlRun.RunAsync(Endpoint, "release", "--handle", TestIds.KeyOf(leakB), "--node", node)).Expect(ExitCodes.Ok);
        var release = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", first, "-o", "json")).Expect(ExitCodes.Ok);
        var after = (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", "json")).Expect(ExitCodes.Ok);

        Assert.Contains("Leaked addresses (4)", check.Out, StringComparison.Ordinal);
        Assert.Contains(TestIds.KeyOf(leakA), check.Out, StringComparison.Ordinal);
        Assert.Contains(a.Addresses[0].Address.Split('/')[0], File.ReadAllText(first), StringComparison.Ordinal);
        Assert.Equal("2", release.Json().GetProperty("addressesReleased").ToString());
        Assert.Empty(after.Json().GetProperty("orphanedAddresses").EnumerateArray());
        using var check2 = new DistIpamClient(Endpoint);
        var request = new CheckRequest { Handle = live };
        request.ExpectedAddresses.AddRange(kept.Addresses.Select(x => x.Address));
        await check2.Ipam.CheckAsync(request);
    }

    [Fact]
    public async Task ReleaseFromReport_ReportNamingLiveAllocation_ReleasesNothing()
    {
        var handle = TestIds.NewHandle();
        using var client = new DistIpamClient(Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = TestIds.Unique("node") });
        var forged = new ConsistencyReport();
        forged.OrphanedAddresses.AddRange(held.Addresses.Select(x => new LeakedAddress
        {
            Pool = x.Pool, Block = x.Block, Address = x.Address.Split('/')[0], Sequence = x.Sequence, Handle = TestIds.KeyOf(handle), Reason = "forged",
        }));
        var file = Path.Combine(_reports, "forged.json");
        await File.WriteAllTextAsync(file, DistIpam.Ctl.Output.Printer.Json(forged));

        var run = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", file)).Expect(ExitCodes.Ok);

        Assert.Contains("released 0 address(es)", run.Out, StringComparison.Ordinal);
        Assert.Contains("skipped 2 finding(s) no longer leaked", run.Out, StringComparison.Ordinal);
        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(held.Addresses.Select(x => x.Address));
        await client.Ipam.CheckAsync(check);
    }

    [Fact]
    public async Task IpHistory_HistoryLostInACrash_RebuiltFromTheBlockAfterRestart()
    {
        var handle = TestIds.NewHandle();
        var client = new DistIpamClient(Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = TestIds.Unique("node"), Pod = new PodAttributes { Namespace = "shop", Name = "cart-7" } });
        client.Dispose();
        var address = held.Addresses[0].Address.Split('/')[0];
        await CtlRun.PollJsonAsync(Endpoint, h => h.GetProperty("events").GetArrayLength() == 1, "the allocation in the history", "ip", "history", address);
        await Server.StopAsync();
        Assert.True(Delete("addresshistory", address) == 1, $"expected to delete the history of {address}");
        await Server.RestartAsync();

        var rebuilt = await CtlRun.PollJsonAsync(Endpoint, h => h.GetProperty("events").GetArrayLength() == 1, "the allocation's history rebuilt from the block", "ip", "history", address);

        var entry = rebuilt.GetProperty("events")[0];
        Assert.Equal(TestIds.KeyOf(handle), entry.GetProperty("handle").GetString());
        Assert.Equal("cart-7", entry.GetProperty("pod").GetProperty("name").GetString());
        Assert.Equal(held.Addresses[0].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.GetProperty("sequence").ToString());
    }

    [Fact]
    public async Task ReleaseFromReport_NotAReport_ExitTwoNamingTheFile()
    {
        var file = Path.Combine(_reports, "junk.json");
        await File.WriteAllTextAsync(file, "{ \"orphanedAddresses\": 7 }");

        var run = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", file)).Expect(ExitCodes.Usage);

        Assert.Contains(file, run.Error, StringComparison.Ordinal);
    }

    private void ForgetHandles(params Handle[] handles)
    {
        foreach (var handle in handles)
        {
            Assert.True(Delete("handle", handle.ContainerId) == 1, $"expected to delete the record of handle {TestIds.KeyOf(handle)}");
        }
    }

    private int Delete(string stateName, string keyPart) => StoredState.Delete(Server.DataDir, stateName, keyPart);
}
