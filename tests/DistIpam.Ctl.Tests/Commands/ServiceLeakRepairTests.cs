using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;
using Grpc.Core;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// <c>check</c> finding a ClusterIP and a NodePort of a deleted service, and borrowed addresses;
/// <c>release --from-report</c> freeing exactly the leaked values. The leak is planted as a crash
/// leaves one: the range grains hold the values, the service's own state is gone (deleted from
/// the stopped server's store). The server's reconciler is off, so only the CLI repairs.
/// </summary>
public sealed class ServiceLeakRepairTests : IAsyncLifetime
{
    private readonly string _reports = Path.Combine(Path.GetTempPath(), $"distipam-service-reports-{Guid.NewGuid():N}");
    private readonly string _space = TestIds.Unique("ns");
    private ServerProcess? _server;

    private ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    private string Endpoint => $"127.0.0.1:{Server.GrpcPort}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_reports);
        _server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "ctl-service-leaks", Arguments = ["--DistIpam:Reconcile:Enabled=false", "--DistIpam:Gc:Enabled=false"] });
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
    public async Task CheckThenReleaseFromReport_DeletedServicesValues_FreesExactlyThoseAndNothingLive()
    {
        var (live, gone) = await PlantDeletedServiceAsync();
        var first = Path.Combine(_reports, "first.json");
        var second = Path.Combine(_reports, "second.json");

        var check = (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", first)).Expect(ExitCodes.Ok);
        (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", second)).Expect(ExitCodes.Ok);
        var release = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", first, second, "-o", "json")).Expect(ExitCodes.Ok);
        var after = (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", "json")).Expect(ExitCodes.Ok);

        Assert.Contains("Leaked ClusterIPs and NodePorts (2)", check.Out, StringComparison.Ordinal);
        check.AssertOut($@"cluster-ip\s+services-v4\s+{Escaped(gone.ClusterIps[0])}\s+{_space}/gone");
        check.AssertOut($@"node-port\s+default\s+{gone.Ports[0].NodePort}\s+{_space}/gone");
        Assert.DoesNotContain($"{_space}/live", check.Out, StringComparison.Ordinal);
        Assert.Equal("2", release.Json().GetProperty("serviceValuesReleased").ToString());
        Assert.Empty(after.Json().GetProperty("leakedServiceValues").EnumerateArray());
        Assert.Empty(after.Json().GetProperty("duplicates").EnumerateArray());
        using var client = new DistIpamClient(Endpoint);
        // The freed values can be taken again; the live service's cannot.
        await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("reuse", gone.ClusterIps[0], gone.Ports[0].NodePort) });
        var taken = await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("steal", live.ClusterIps[0], 0) }).ResponseAsync);
        Assert.Contains($"{_space}/live", taken.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseFromReport_ServiceRecreatedSinceTheReport_KeepsItsValues()
    {
        var (_, gone) = await PlantDeletedServiceAsync();
        var report = Path.Combine(_reports, "report.json");
        (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", report)).Expect(ExitCodes.Ok);
        using var client = new DistIpamClient(Endpoint);
        // Re-created under the same name: its range hands it back the values it still holds for it.
        var again = await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("gone", null, 0) });

        var release = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", report)).Expect(ExitCodes.Ok);

        Assert.Equal(gone.ClusterIps[0], again.ClusterIps[0]);
        Assert.Contains("freed 0 ClusterIP(s)/NodePort(s)", release.Out, StringComparison.Ordinal);
        Assert.Contains("skipped 2 finding(s) no longer leaked", release.Out, StringComparison.Ordinal);
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("steal", again.ClusterIps[0], 0) }).ResponseAsync);
    }

    [Fact]
    public async Task Check_RangeLostTheServicesClusterIp_ReportedAsDuplicateAndNotReleased()
    {
        Service live;
        using (var client = new DistIpamClient(Endpoint))
        {
            live = await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("live", null, 0) });
        }

        await Server.StopAsync();
        // The range forgets every ClusterIP it handed out; the service still holds its own.
        Assert.True(StoredState.Delete(Server.DataDir, "cluster-ips", "services-v4") == 1, "expected to delete the ClusterIP range of services-v4");
        await Server.RestartAsync();
        var report = Path.Combine(_reports, "lost.json");

        var check = (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", report)).Expect(ExitCodes.Ok);
        var release = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", report)).Expect(ExitCodes.Ok);

        check.AssertOut($@"cluster-ip {Escaped(live.ClusterIps[0])} is held by service '{_space}/live' but its range holds it for nobody");
        Assert.DoesNotContain("Leaked ClusterIPs", check.Out, StringComparison.Ordinal);
        Assert.Contains("freed 0 ClusterIP(s)/NodePort(s)", release.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AddressInAnotherNodesBlock_ReportedAsBorrowedAndNotReleased()
    {
        using var client = new DistIpamClient(Endpoint);
        // One block only: the second node has no block of its own to claim and borrows.
        await client.Pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = "one-block", Cidr = "10.251.0.0/26", BlockPrefixLength = 26, Kind = PoolKind.Pod } });
        var (owner, borrower) = (TestIds.Unique("node"), TestIds.Unique("node"));
        var first = new AllocateRequest { Handle = TestIds.NewHandle(), Node = owner };
        first.Pools.Add("one-block");
        await client.Ipam.AllocateAsync(first);
        var second = new AllocateRequest { Handle = TestIds.NewHandle(), Node = borrower };
        second.Pools.Add("one-block");
        var borrowed = await client.Ipam.AllocateAsync(second);
        var report = Path.Combine(_reports, "borrowed.json");

        var check = (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", report)).Expect(ExitCodes.Ok);
        var release = (await CtlRun.RunAsync(Endpoint, "release", "--from-report", report)).Expect(ExitCodes.Ok);

        Assert.Contains("No inconsistencies found.", check.Out, StringComparison.Ordinal);
        check.AssertOut($@"one-block\s+10\.251\.0\.0/26\s+{Escaped(borrowed.Addresses[0].Address.Split('/')[0])}\s+{owner}\s+{borrower}");
        Assert.Contains("released 0 address(es)", release.Out, StringComparison.Ordinal);
        var still = new CheckRequest { Handle = second.Handle };
        still.ExpectedAddresses.AddRange(borrowed.Addresses.Select(a => a.Address));
        await client.Ipam.CheckAsync(still);
    }

    private static string Escaped(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    /// <summary>Creates a live and a to-be-deleted NodePort service, then deletes the latter's state behind the server's back.</summary>
    private async Task<(Service Live, Service Gone)> PlantDeletedServiceAsync()
    {
        Service live, gone;
        using (var client = new DistIpamClient(Endpoint))
        {
            live = await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("live", null, 0) });
            gone = await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("gone", null, 0) });
        }

        await Server.StopAsync();
        Assert.True(StoredState.Delete(Server.DataDir, "service", $"{_space}/gone") == 1, $"expected to delete the state of service {_space}/gone");
        await Server.RestartAsync();
        return (live, gone);
    }

    private Service NodePortService(string name, string? clusterIp, int nodePort)
    {
        var service = new Service { Namespace = _space, Name = name, Type = ServiceType.NodePort };
        service.Ports.Add(new ServicePort { Name = "http", Port = 80, NodePort = nodePort });
        if (clusterIp is not null)
        {
            service.ClusterIps.Add(clusterIp);
        }

        return service;
    }
}
