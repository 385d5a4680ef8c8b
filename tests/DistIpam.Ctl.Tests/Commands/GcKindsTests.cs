using System.Collections.Concurrent;
using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;
using Grpc.Core;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// The GC kinds beyond handles and nodes, against a real server with no grace (so only the second
/// observation and the re-check stand between a candidate and its release): handles a CNI GC left
/// out of the valid list (deferred by default), and ClusterIPs and NodePorts of a deleted service, with live
/// services created and deleted while the passes run.
/// </summary>
public sealed class GcKindsTests : IAsyncLifetime
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(20);
    private readonly string _space = TestIds.Unique("ns");
    private ServerProcess? _server;

    private ServerProcess Server => _server ?? throw new InvalidOperationException("not started");

    private string Endpoint => $"127.0.0.1:{Server.GrpcPort}";

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new ServerProcessOptions
    {
        Name = "ctl-gc-kinds",
        Arguments = ["--DistIpam:Gc:Enabled=false", "--DistIpam:Gc:Grace=00:00:00", "--DistIpam:Reconcile:Enabled=false"],
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task GcRun_HandlesLeftOutOfOneCniGc_ReleasesAtTheSecondPassOnlyThoseStillHoldingTheSameAddresses()
    {
        using var client = new DistIpamClient(Endpoint);
        var node = TestIds.Unique("node");
        var network = TestIds.Unique("gcnet");
        var (stale, readded, valid) = (NewHandle(network), NewHandle(network), NewHandle(network));
        var held = new Dictionary<string, AllocateResponse>();
        foreach (var handle in new[] { stale, readded, valid })
        {
            held[handle.ContainerId] = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node });
        }

        // The runtime calls CNI GC once (CRI-O does at its start): the default defers, it does not release.
        var collected = await client.Ipam.GarbageCollectAsync(Collect(network, node, valid));
        var pass1 = (await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json")).Expect(ExitCodes.Ok).Json();
        // The pod behind 'readded' is deleted and added again: same handle, new addresses.
        await client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = readded, Node = node });
        held[readded.ContainerId] = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = readded, Node = node });
        // A pod added after the CNI GC call: never left out of any list.
        var late = NewHandle(network);
        held[late.ContainerId] = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = late, Node = node });
        var pass2 = (await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json")).Expect(ExitCodes.Ok).Json();

        Assert.Empty(collected.Released);
        Assert.Equal(new[] { readded.ContainerId, stale.ContainerId }.Order(StringComparer.Ordinal), collected.Deferred.Select(h => h.ContainerId).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { TestIds.KeyOf(readded), TestIds.KeyOf(stale) }.Order(StringComparer.Ordinal), AbsentCandidates(pass1).Order(StringComparer.Ordinal));
        Assert.Equal("0", pass1.GetProperty("handlesReleased").ToString());
        Assert.Equal("1", pass2.GetProperty("handlesReleased").ToString());
        Assert.Equal("1", pass2.GetProperty("spared").ToString());
        Assert.Empty(AbsentCandidates(pass2));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => client.Ipam.CheckAsync(new CheckRequest { Handle = stale }).ResponseAsync);
        foreach (var handle in new[] { readded, valid, late })
        {
            await client.Ipam.CheckAsync(Expect(handle, held[handle.ContainerId]));
        }

        await CtlRun.PollJsonAsync(
            Endpoint,
            h => h.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("actor").GetString() == "gc" && e.GetProperty("reason").GetString()!.StartsWith("CNI GC", StringComparison.Ordinal)),
            "the released handle's history to name the GC",
            "handle", "history", TestIds.KeyOf(stale));
    }

    [Fact]
    public async Task GcRun_HandleLeftOutThenListedValidByALaterCniGc_NeverReleased()
    {
        using var client = new DistIpamClient(Endpoint);
        var node = TestIds.Unique("node");
        var network = TestIds.Unique("gcnet");
        var pod = NewHandle(network);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = pod, Node = node });

        // The first list was computed before the pod's ADD finished; the next one has it.
        var first = await client.Ipam.GarbageCollectAsync(Collect(network, node));
        var pass1 = (await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json")).Expect(ExitCodes.Ok).Json();
        var second = await client.Ipam.GarbageCollectAsync(Collect(network, node, pod));
        var pass2 = (await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json")).Expect(ExitCodes.Ok).Json();
        var pass3 = (await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json")).Expect(ExitCodes.Ok).Json();

        Assert.Equal([pod.ContainerId], first.Deferred.Select(h => h.ContainerId));
        Assert.Equal([TestIds.KeyOf(pod)], AbsentCandidates(pass1));
        Assert.Empty(second.Deferred);
        Assert.Empty(AbsentCandidates(pass2));
        Assert.Equal("0", pass3.GetProperty("handlesReleased").ToString());
        await client.Ipam.CheckAsync(Expect(pod, held));
    }

    [Fact]
    public async Task GcRun_RacingServiceCreatesAndDeletes_FreesOnlyTheDeletedServicesValues()
    {
        Service gone;
        using (var setup = new DistIpamClient(Endpoint))
        {
            gone = await setup.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService("gone") });
        }

        await Server.StopAsync();
        Assert.True(StoredState.Delete(Server.DataDir, "service", $"{_space}/gone") == 1, $"expected to delete the state of service {_space}/gone");
        await Server.RestartAsync();
        using var client = new DistIpamClient(Endpoint);
        using var stop = new CancellationTokenSource();
        var live = new ConcurrentDictionary<string, Service>(StringComparer.Ordinal);
        var violations = new ConcurrentQueue<string>();
        var cycles = new int[3];
        var workers = Enumerable.Range(0, 3).Select(w => ChurnAsync(client, w, live, cycles, violations, stop.Token)).ToList();
        var passes = new List<CtlRun>();
        for (var i = 0; i < 6; i++)
        {
            passes.Add(await CtlRun.RunAsync(Endpoint, "gc", "run", "-o", "json"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var after = (await CtlRun.RunAsync(Endpoint, "check", "--min-age", "0", "-o", "json")).Expect(ExitCodes.Ok).Json();

        Assert.All(passes, p => p.Expect(ExitCodes.Ok));
        Assert.Empty(violations);
        Assert.All(cycles, c => Assert.True(c > 0, $"every worker must have completed create/delete cycles during the passes; saw {string.Join(",", cycles)}"));
        Assert.True(long.Parse(passes[^1].Json().GetProperty("serviceValuesReleased").ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 2, "the deleted service's ClusterIP and NodePort must have been freed");
        Assert.Empty(after.GetProperty("leakedServiceValues").EnumerateArray());
        // A live service whose value GC freed would show here: held by the service, by nobody in its range.
        Assert.Empty(after.GetProperty("duplicates").EnumerateArray());
        foreach (var service in live.Values)
        {
            var steal = NodePortService(TestIds.Unique("steal"));
            steal.ClusterIps.Add(service.ClusterIps[0]);
            await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => client.Services.CreateServiceAsync(new CreateServiceRequest { Service = steal }).ResponseAsync);
        }

        using var http = new HttpClient { BaseAddress = Server.HttpAddress };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var freed = System.Text.RegularExpressions.Regex.Match(metrics, @"^distipam_gc_service_values_released_total\{[^}]*\} (\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.True(freed.Success && long.Parse(freed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 2, "distipam_gc_service_values_released_total must count the freed values");
        // The freed values can be handed out again: a live worker service may have been given one
        // already (that is the proof); any other is free for a new service.
        var reuse = NodePortService("reuse");
        if (!live.Values.Any(l => l.ClusterIps.Contains(gone.ClusterIps[0])))
        {
            reuse.ClusterIps.Add(gone.ClusterIps[0]);
        }

        if (!live.Values.Any(l => l.Ports.Any(p => p.NodePort == gone.Ports[0].NodePort)))
        {
            reuse.Ports[0].NodePort = gone.Ports[0].NodePort;
        }

        await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = reuse });
    }

    /// <summary>Creates services (kept every other time) while the passes run; each created one must keep its values.</summary>
    private async Task ChurnAsync(DistIpamClient client, int worker, ConcurrentDictionary<string, Service> live, int[] cycles, ConcurrentQueue<string> violations, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            // A cycle is never cancelled halfway: the stop only ends the loop.
            var name = $"w{worker}-{i}";
            try
            {
                var created = await client.Services.CreateServiceAsync(new CreateServiceRequest { Service = NodePortService(name) }, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None);
                if (i % 2 == 0)
                {
                    live[name] = created;
                }
                else
                {
                    await client.Services.DeleteServiceAsync(new DeleteServiceRequest { Namespace = _space, Name = name }, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: CancellationToken.None);
                }

                Interlocked.Increment(ref cycles[worker]);
            }
            catch (RpcException e)
            {
                violations.Enqueue($"worker {worker}, service {name}: {e.StatusCode} {e.Status.Detail}");
            }
        }
    }

    private static List<string?> AbsentCandidates(System.Text.Json.JsonElement status) =>
        [.. status.GetProperty("candidates").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == "absent-from-cni-gc").Select(c => c.GetProperty("key").GetString())];

    private static Handle NewHandle(string network)
    {
        var handle = TestIds.NewHandle();
        handle.Network = network;
        return handle;
    }

    private static GarbageCollectRequest Collect(string network, string node, params Handle[] valid)
    {
        var request = new GarbageCollectRequest { Network = network, Node = node };
        request.Valid.AddRange(valid);
        return request;
    }

    private static CheckRequest Expect(Handle handle, AllocateResponse addresses)
    {
        var request = new CheckRequest { Handle = handle };
        request.ExpectedAddresses.AddRange(addresses.Addresses.Select(a => a.Address));
        return request;
    }

    private Service NodePortService(string name)
    {
        var service = new Service { Namespace = _space, Name = name, Type = ServiceType.NodePort };
        service.Ports.Add(new ServicePort { Name = "http", Port = 80 });
        return service;
    }
}
