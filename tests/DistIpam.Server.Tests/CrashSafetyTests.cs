using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace DistIpam.Server.Tests;

/// <summary>
/// SIGKILL in the middle of concurrent allocations: after a restart on the same data directory every
/// acknowledged allocation is still held, no address is held twice, and unacknowledged handles can be
/// retried without duplicates (docs/architecture.md, rules 1 and 4).
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int MaxAllocationsPerClient = 3000;
    private const int MinAcknowledgedBeforeKill = 400;
    private const int FreshHandlesAfterRestart = 64;
    private const int MaxUnavailableRetries = 20;
    private static readonly TimeSpan LoadBeforeKill = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LoadDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Kill_DuringConcurrentAllocations_AcknowledgedKeptAndNoDuplicates()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "crash" });
        var attempts = new ConcurrentQueue<AllocationAttempt>();
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Clients)
            .Select(i => Task.Run(() => AllocateUntilStoppedAsync(new Ipam.IpamClient(server.CreateChannel()), i, attempts, stop.Token)))
            .ToList();

        await Poll.UntilAsync(
            () => Task.FromResult(clock.Elapsed >= LoadBeforeKill && Acknowledged(attempts).Count() >= MinAcknowledgedBeforeKill
                ? null
                : $"{Acknowledged(attempts).Count()} acknowledged after {clock.Elapsed.TotalSeconds:0.0} s"),
            LoadDeadline,
            $"at least {MinAcknowledgedBeforeKill} acknowledged allocations and {LoadBeforeKill.TotalSeconds} s of load");
        var loadTime = clock.Elapsed;
        var acknowledgedAtKill = Acknowledged(attempts).Count();
        server.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(workers).WaitAsync(LoadDeadline);
        var restart = Stopwatch.StartNew();
        await server.RestartAsync();
        restart.Stop();

        var all = attempts.ToList();
        var acknowledged = all.Where(a => a.Acknowledged is not null).ToList();
        var unacknowledged = all.Where(a => a.Acknowledged is null).ToList();
        output.WriteLine($"{acknowledged.Count} acknowledged ({acknowledgedAtKill} when killed) and {unacknowledged.Count} unacknowledged allocations from {Clients} clients in {loadTime.TotalSeconds:0.0} s: {acknowledgedAtKill / loadTime.TotalSeconds:0} allocations/s (dual-stack); restart to ready took {restart.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"unacknowledged failures: {string.Join("; ", unacknowledged.Select(a => a.Failure).Distinct().Take(5))}");
        Assert.True(unacknowledged.Count > 0, "the kill hit no allocation in flight; the test proved nothing");

        var ipam = new Ipam.IpamClient(server.CreateChannel());
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attempt in acknowledged)
        {
            Claim(owners, attempt.Acknowledged!, TestHandles.KeyOf(attempt.Handle), "acknowledged before the kill");
        }

        await ForEachAsync(acknowledged, async attempt =>
        {
            var held = await WithRetryAsync(() => ipam.CheckAsync(TestHandles.Check(attempt.Handle, attempt.Acknowledged!)).ResponseAsync);
            Assert.Equal(attempt.Acknowledged!.Order(StringComparer.Ordinal), held.Addresses.Select(a => a.Address).Order(StringComparer.Ordinal));
        });

        var retried = new ConcurrentBag<(AllocationAttempt Attempt, IReadOnlyList<string> Addresses)>();
        await ForEachAsync(unacknowledged, async attempt =>
        {
            var response = await WithRetryAsync(() => ipam.AllocateAsync(TestHandles.Allocate(attempt.Handle, attempt.Node)).ResponseAsync);
            retried.Add((attempt, [.. response.Addresses.Select(a => a.Address)]));
        });
        foreach (var (attempt, addresses) in retried)
        {
            Assert.Equal(2, addresses.Count);
            Claim(owners, addresses, TestHandles.KeyOf(attempt.Handle), "retried after the restart");
        }

        var fresh = Enumerable.Range(0, FreshHandlesAfterRestart)
            .Select(i => new AllocationAttempt(TestHandles.New("crashnet"), NodeOf(i % Clients)))
            .ToList();
        await ForEachAsync(fresh, async attempt =>
        {
            var response = await WithRetryAsync(() => ipam.AllocateAsync(TestHandles.Allocate(attempt.Handle, attempt.Node)).ResponseAsync);
            attempt.Acknowledged = [.. response.Addresses.Select(a => a.Address)];
        });
        foreach (var attempt in fresh)
        {
            Claim(owners, attempt.Acknowledged!, TestHandles.KeyOf(attempt.Handle), "fresh after the restart");
        }

        var report = await new Pools.PoolsClient(server.CreateChannel()).CheckConsistencyAsync(new CheckConsistencyRequest());
        output.WriteLine($"consistency after restart: {report}");
        Assert.True(report.Duplicates.Count == 0, $"expected no duplicates, saw {report.Duplicates}");
        Assert.True(report.HandlesWithoutAddresses.Count == 0, $"expected no handles without addresses, saw {report.HandlesWithoutAddresses}");
        Assert.True(report.OrphanedAddresses.Count == 0, $"expected no orphaned addresses, saw {report.OrphanedAddresses}");
    }

    private static string NodeOf(int client) => $"crash-node-{client.ToString(CultureInfo.InvariantCulture)}";

    private static IEnumerable<AllocationAttempt> Acknowledged(IEnumerable<AllocationAttempt> attempts) =>
        attempts.Where(a => a.Acknowledged is not null);

    private static void Claim(Dictionary<string, string> owners, IEnumerable<string> addresses, string handle, string when)
    {
        foreach (var address in addresses.Select(IpamAllocateTests.Bare))
        {
            if (owners.TryGetValue(address, out var other) && other != handle)
            {
                Assert.Fail($"address {address} is held by '{other}' and by '{handle}' ({when})");
            }

            owners[address] = handle;
        }
    }

    private static async Task AllocateUntilStoppedAsync(Ipam.IpamClient ipam, int client, ConcurrentQueue<AllocationAttempt> attempts, CancellationToken stop)
    {
        for (var n = 0; n < MaxAllocationsPerClient && !stop.IsCancellationRequested; n++)
        {
            var attempt = new AllocationAttempt(TestHandles.New("crashnet"), NodeOf(client));
            attempts.Enqueue(attempt);
            try
            {
                var response = await ipam.AllocateAsync(TestHandles.Allocate(attempt.Handle, attempt.Node), deadline: DateTime.UtcNow.Add(CallDeadline), cancellationToken: CancellationToken.None);
                attempt.Acknowledged = [.. response.Addresses.Select(a => a.Address)];
            }
            catch (RpcException e)
            {
                attempt.Failure = $"{e.StatusCode}: {e.Status.Detail}";
                if (e.StatusCode is not StatusCode.Unavailable)
                {
                    // Anything but a dead server is a finding too; stop this client and let the checks report.
                    return;
                }
            }
        }
    }

    private static async Task ForEachAsync<T>(IEnumerable<T> items, Func<T, Task> body) =>
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, _) => await body(item));

    private static async Task<T> WithRetryAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < MaxUnavailableRetries)
            {
                // UNAVAILABLE is the server's "changed nothing, retry" (ipam.proto); back off briefly.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt));
            }
        }
    }
}
