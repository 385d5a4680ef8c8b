using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Faults;
using DistIpam.Chaos.Tests.Observation;
using DistIpam.Testing;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>Starts the cluster a chaos test reuses for all its schedules, with what observes and faults it.</summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    /// <summary>
    /// Settings of every chaos silo: reserved ranges at the start of each pod pool (invariant 5
    /// needs something to stay out of) and frequent watch bookmarks (a resumed watch catches up
    /// in half a second instead of five), the server's reconciliation every few seconds, and no log
    /// line per refused call.
    /// </summary>
    public static readonly IReadOnlyList<string> SiloArguments =
    [
        "--DistIpam:Pools:0:ReservedRanges:0=10.244.0.0-10.244.0.15",
        "--DistIpam:Pools:1:ReservedRanges:0=fd00:10:244::-fd00:10:244::f",
        "--DistIpam:Services:BookmarkInterval=00:00:00.500",

        // The server's own repairs (docs/operations.md) on a scale the convergence window can see:
        // a scan every 5 s (two observations: repaired within ~10-15 s), services after 10 s.
        "--DistIpam:Reconcile:Interval=00:00:05",
        "--DistIpam:Reconcile:Grace=00:00:05",
        "--DistIpam:Services:ReconcileGracePeriod=00:00:10",
        "--Logging:LogLevel:Grpc=Warning",

        // The schedules' GarbageCollect step expects its slot released by the call (the model checks
        // the immediate path under faults); the default defers to the GC controller's 15 min grace.
        "--DistIpam:Gc:DeferCniGc=false",
    ];

    private ChaosCluster(LocalCluster cluster, ChaosEnvironment environment)
    {
        Cluster = cluster;
        Environment = environment;
    }

    /// <summary>The cluster.</summary>
    public LocalCluster Cluster { get; }

    /// <summary>What the runner needs.</summary>
    public ChaosEnvironment Environment { get; }

    /// <summary>Starts Redis and three silos with <see cref="SiloArguments"/> plus <paramref name="extraArguments"/>.</summary>
    public static async Task<ChaosCluster> StartAsync(string name, IReadOnlyList<string> extraArguments, ChaosSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var cluster = await LocalCluster.StartAsync(3, name, [.. SiloArguments, .. extraArguments]);
        try
        {
            var client = new ChaosClient(() => cluster.Silos, new ClientStatistics());
            var storage = await StoredStateReader.ConnectAsync(cluster.Redis.ConnectionString, cluster.ServiceId);
            var pools = await ClusterObserver.ReadPoolsAsync(client);
            var observer = new ClusterObserver(client, storage, pools, ["pods-v4", "pods-v6"]);
            var faults = new FaultStatistics();
            return new ChaosCluster(cluster, new ChaosEnvironment(cluster, client, storage, observer, new FaultInjector(cluster, faults), faults, settings.ConvergenceWindow));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Environment.Client.Dispose();
        await Environment.Storage.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
