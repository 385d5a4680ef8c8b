using System.Diagnostics;
using System.Globalization;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Model;
using DistIpam.Chaos.Tests.Observation;
using DistIpam.Chaos.Tests.Running;
using DistIpam.Chaos.Tests.Schedules;
using DistIpam.Chaos.Tests.Services;
using DistIpam.Testing;
using Xunit.Abstractions;

namespace DistIpam.Chaos.Tests;

/// <summary>
/// The embedded mode (one server, SQLite): kill -9 during concurrent ADDs and GCs, restart, check;
/// and commits whose outcome is unknown to the grains (reported failed, yet on disk).
/// </summary>
[Collection(ChaosOneAtATime.Name)]
public sealed class EmbeddedChaosTests(ITestOutputHelper output)
{
    private const int KillRounds = 4;
    private const int LostReplyRounds = 3;
    private const int Nodes = 4;
    private const int MaxChurnRounds = 200;

    /// <summary>One in this many SQLite commits is reported failed although it landed, in the lost-reply test.</summary>
    private const int LoseCommitReplyEvery = 5;

    [Fact]
    public async Task Kill_DuringConcurrentAddsAndGarbageCollections_KeepsEveryInvariantAfterRestart()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "chaos-embedded", Arguments = ChaosCluster.SiloArguments });

        // The kill lands a little later each round, so it meets ADDs, GCs and releases in turn.
        await RunRoundsAsync(server, KillRounds, "kills", round => Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300 + (round * 250)));
            server.Kill();
            await server.RestartAsync();
        }));
    }

    [Fact]
    public async Task LostCommitReplies_DuringConcurrentAddsAndGarbageCollections_KeepEveryInvariant()
    {
        // SQLite commits whose outcome the grains cannot know: they landed, the writers were told
        // they failed (docs/chaos.md). Every grain must then reload, and every client retry.
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            Name = "chaos-lost-reply",
            Arguments = [.. ChaosCluster.SiloArguments, string.Create(CultureInfo.InvariantCulture, $"--DistIpam:Sqlite:UnsafeLoseCommitReplyEvery={LoseCommitReplyEvery}")],
        });

        // The fault is the storage itself; the workers churn for a while after their steps.
        await RunRoundsAsync(server, LostReplyRounds, "rounds with lost commit replies", _ => Task.Delay(TimeSpan.FromSeconds(2)));
    }

    private async Task RunRoundsAsync(ServerProcess server, int rounds, string what, Func<int, Task> startFault)
    {
        using var client = new ChaosClient(() => [server], new ClientStatistics());
        var pools = await ClusterObserver.ReadPoolsAsync(client);
        var observer = new ClusterObserver(client, storage: null, pools, ["pods-v4", "pods-v6"]);
        var violations = new ViolationLog();
        var settings = ChaosSettings.FromEnvironment();
        var longestConvergence = TimeSpan.Zero;
        var operations = 0;
        var id = Guid.NewGuid().ToString("N")[..4];
        for (var round = 0; round < rounds; round++)
        {
            var names = new ScheduleNames(string.Create(CultureInfo.InvariantCulture, $"e{id}r{round}-"), round);
            var model = new AllocationModel(pools, violations);
            var services = new ServiceOperations(client, new ServiceModel(violations), names.Namespace, ScheduleNames.Service);
            var workers = Enumerable.Range(0, Nodes).Select(n => new NodeWorker(client, model, services, names, n)).ToList();

            var fault = startFault(round);
            await Task.WhenAll(workers.Select((w, n) => Task.Run(async () =>
            {
                await w.RunAsync(Steps(n), () => { });
                await w.ChurnAsync(fault, MaxChurnRounds);
            })));
            await fault;

            // Polled like the cluster suite's checks: the server may repair things by itself.
            await ScheduleRunner.PollUntilCleanAsync(async () => InvariantChecker.Check(model.Snapshot(), await observer.ObserveAsync(model.Snapshot(), model.AllHandles())), violations, settings.ConvergenceWindow);

            foreach (var handle in model.AllHandles())
            {
                model.ReleaseStarting(handle);
                var released = await client.CallAsync("Release (cleanup)", 0, (c, o) => new Api.V1.Ipam.IpamClient(c).ReleaseAsync(new Api.V1.ReleaseRequest { Handle = handle.Handle, Node = handle.Node }, o).ResponseAsync);
                model.Released(handle, released.Status, $"cleanup Release -> {released}");
            }

            foreach (var node in workers.Select(w => w.Node))
            {
                await client.CallAsync("ReleaseNode (cleanup)", 0, (c, o) => new Api.V1.Pools.PoolsClient(c).ReleaseNodeAsync(new Api.V1.ReleaseNodeRequest { Node = node }, o).ResponseAsync);
            }

            var cleanup = Stopwatch.StartNew();
            await ScheduleRunner.PollUntilCleanAsync(async () =>
            {
                var after = await observer.ObserveAsync(model.Snapshot(), model.AllHandles());
                return [.. InvariantChecker.Check(model.Snapshot(), after), .. CleanupChecker.Check(new CheckScope(names.Prefix, ScheduleNames.Network), after)];
            }, violations, settings.ConvergenceWindow);
            longestConvergence = cleanup.Elapsed > longestConvergence ? cleanup.Elapsed : longestConvergence;

            operations += workers.Sum(w => w.Completed);
        }

        foreach (var error in client.Statistics.InternalErrors)
        {
            violations.Report(Violation.InternalError, $"INTERNAL answer (only for bugs): {error}", "");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"embedded: {rounds} {what}, {operations} operations, {client.Statistics.Attempts} attempts, {client.Statistics.Retries} retries, longest convergence after cleanup {longestConvergence.TotalSeconds:0.0} s"));
        Assert.True(violations.All.Count == 0, $"{violations.All.Count} violations:\n{string.Join("\n", violations.All.Take(20))}");
    }

    /// <summary>Each node: allocations of every kind, a GC, a retry, a release and a second GC.</summary>
    private static List<Operation> Steps(int node) =>
    [
        new(node, 0, OperationKind.Allocate, FamilyChoice.DualStack, AddressChoice.Any),
        new(node, 1, OperationKind.Allocate, FamilyChoice.V4, AddressChoice.Any),
        new(node, 2, OperationKind.Allocate, FamilyChoice.DualStack, AddressChoice.Fresh),
        new(node, 1, OperationKind.GarbageCollect, FamilyChoice.DualStack, AddressChoice.Any),
        new(node, 0, OperationKind.RetryAllocate, FamilyChoice.DualStack, AddressChoice.Any),
        new(node, 1, OperationKind.ReleaseThenReuse, FamilyChoice.V6, AddressChoice.Any),
        new(node, 2, OperationKind.Release, FamilyChoice.DualStack, AddressChoice.Any),
        new(node, 0, OperationKind.GarbageCollect, FamilyChoice.DualStack, AddressChoice.Any),
    ];
}
