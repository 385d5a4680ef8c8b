namespace DistIpam.Chaos.Tests;

/// <summary>
/// The chaos tests run one after the other: each starts its own cluster and measures timing
/// (failover, recovery), which two clusters on two cores at once would distort.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosOneAtATime
{
    /// <summary>The collection name.</summary>
    public const string Name = "chaos";
}
