using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Xunit.Abstractions;

namespace DistIpam.Cluster.Tests;

/// <summary>Cluster mode end to end: real Redis, three real silos, clients that fail over.</summary>
public sealed class ClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Allocate_ThroughEverySilo_SeesOneConsistentState()
    {
        await using var cluster = await LocalCluster.StartAsync(3, "consistent");
        using var client = new RetryingIpamClient(cluster.Silos);
        var recorder = new LoadRecorder();
        for (var i = 0; i < 30; i++)
        {
            var handle = Handle("consistent", i);
            var silo = i % 3;
            recorder.Allocated(handle, await client.AllocateAsync(Request(handle, $"node-{i % 5}"), silo, RequestDeadline));

            // The same handle through the next silo: the same addresses (one authority, not three).
            var again = await client.AllocateAsync(Request(handle, $"node-{i % 5}"), (silo + 1) % 3, RequestDeadline);
            Assert.Equal(recorder.Held[Key(handle)].Addresses, again.Addresses.Select(a => a.Address.Split('/')[0]));
        }

        await AssertEveryHeldAllocationIntactAsync(client, recorder);
        AssertNoAddressGivenTwice(recorder);
    }

    [Fact]
    public async Task KillSilo_UnderConcurrentLoad_EveryRequestCompletesAndNothingIsLostOrDuplicated()
    {
        await using var cluster = await LocalCluster.StartAsync(3, "failover");
        using var client = new RetryingIpamClient(cluster.Silos);
        var recorder = new LoadRecorder();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 16).Select(n => RunWorkerAsync(client, recorder, n, stop.Token)).ToList();

        var gaps = new List<TimeSpan>();
        foreach (var victim in new[] { 1, 2 })
        {
            await LetLoadRunAsync(TimeSpan.FromSeconds(3));
            var killedAt = recorder.Now;
            cluster.Silos[victim].Kill();
            await LetLoadRunAsync(TimeSpan.FromSeconds(8));
            gaps.Add(recorder.LongestGap(killedAt, recorder.Now));
            await cluster.Silos[victim].RestartAsync();
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        output.WriteLine($"allocations held: {recorder.Held.Count}, acknowledged: {recorder.EverAcknowledged.Count / 2}, client retries: {client.Retries}");
        output.WriteLine($"longest gap without a successful allocation after each kill: {string.Join(", ", gaps.Select(g => g.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms"))}");
        Assert.True(recorder.Held.Count > 50, $"expected steady load to hold more than 50 allocations, saw {recorder.Held.Count}");
        await AssertEveryHeldAllocationIntactAsync(client, recorder);
        AssertNoAddressGivenTwice(recorder);
    }

    [Fact]
    public async Task RollingRestart_OfEverySilo_KeepsEveryAllocation()
    {
        await using var cluster = await LocalCluster.StartAsync(3, "rolling");
        using var client = new RetryingIpamClient(cluster.Silos);
        var recorder = new LoadRecorder();
        for (var i = 0; i < 40; i++)
        {
            var handle = Handle("rolling", i);
            recorder.Allocated(handle, await client.AllocateAsync(Request(handle, $"node-{i % 4}"), i % 3, RequestDeadline));
        }

        foreach (var silo in cluster.Silos)
        {
            await silo.StopAsync();
            await silo.RestartAsync();
            await AssertEveryHeldAllocationIntactAsync(client, recorder);
        }

        AssertNoAddressGivenTwice(recorder);
    }

    [Fact]
    public async Task RedisRestart_WithAppendOnlyFile_KeepsEveryAcknowledgedAllocation()
    {
        await using var cluster = await LocalCluster.StartAsync(3, "redis");
        using var client = new RetryingIpamClient(cluster.Silos);
        var recorder = new LoadRecorder();
        for (var i = 0; i < 40; i++)
        {
            var handle = Handle("redis", i);
            recorder.Allocated(handle, await client.AllocateAsync(Request(handle, $"node-{i % 4}"), i % 3, RequestDeadline));
        }

        await cluster.Redis.RestartAsync();

        // New allocations succeed again and never collide with the ones acknowledged before.
        for (var i = 40; i < 60; i++)
        {
            var handle = Handle("redis", i);
            recorder.Allocated(handle, await client.AllocateAsync(Request(handle, $"node-{i % 4}"), i % 3, RequestDeadline));
        }

        await AssertEveryHeldAllocationIntactAsync(client, recorder);
        AssertNoAddressGivenTwice(recorder);
    }

    private static async Task RunWorkerAsync(RetryingIpamClient client, LoadRecorder recorder, int node, CancellationToken stop)
    {
        for (var i = 0; i < 100_000 && !stop.IsCancellationRequested; i++)
        {
            var handle = Handle($"n{node}", i);
            recorder.Allocated(handle, await client.AllocateAsync(Request(handle, $"node-{node}"), node, RequestDeadline));
            if (i % 3 == 2)
            {
                // Churn: give back an older handle so releases are exercised during the kill too.
                var old = Handle($"n{node}", i - 2);
                await client.ReleaseAsync(new ReleaseRequest { Handle = old, Node = $"node-{node}" }, node, RequestDeadline);
                recorder.Released(old);
            }
        }
    }

    /// <summary>Lets the steady load run for <paramref name="window"/> (a load duration, not a wait for a condition).</summary>
    private static Task LetLoadRunAsync(TimeSpan window) => Task.Delay(window);

    private static async Task AssertEveryHeldAllocationIntactAsync(RetryingIpamClient client, LoadRecorder recorder)
    {
        var i = 0;
        foreach (var (handle, addresses) in recorder.Held.Values)
        {
            var request = new CheckRequest { Handle = handle };
            request.ExpectedAddresses.AddRange(addresses);

            // Check fails with FAILED_PRECONDITION or NOT_FOUND (not retried) if anything was lost.
            await client.CheckAsync(request, i++ % 3, RequestDeadline);
        }
    }

    private static void AssertNoAddressGivenTwice(LoadRecorder recorder)
    {
        // An address may return after its holder released it; two live holders must never share one.
        var clashes = recorder.Held
            .SelectMany(h => h.Value.Addresses.Select(a => (Address: a, Handle: h.Key)))
            .GroupBy(a => a.Address)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} -> {string.Join(", ", g.Select(x => x.Handle))}")
            .ToList();
        Assert.True(clashes.Count == 0, $"addresses held by two handles: {string.Join("; ", clashes.Take(10))}");
    }

    private static Handle Handle(string prefix, int i) =>
        new() { Network = "clusternet", ContainerId = $"{prefix}-c{i.ToString(CultureInfo.InvariantCulture)}", Interface = "eth0" };

    private static string Key(Handle handle) => $"{handle.Network}/{handle.ContainerId}/{handle.Interface}";

    private static AllocateRequest Request(Handle handle, string node) => new() { Handle = handle, Node = node };
}
