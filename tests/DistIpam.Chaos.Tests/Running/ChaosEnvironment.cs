using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Faults;
using DistIpam.Chaos.Tests.Observation;
using DistIpam.Testing;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>What every schedule of a run shares: the cluster, the client, the storage reader and the statistics.</summary>
internal sealed record ChaosEnvironment(
    LocalCluster Cluster,
    ChaosClient Client,
    StoredStateReader Storage,
    ClusterObserver Observer,
    FaultInjector Faults,
    FaultStatistics FaultStatistics,
    TimeSpan ConvergenceWindow);
