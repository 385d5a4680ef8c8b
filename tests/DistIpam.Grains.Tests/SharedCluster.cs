namespace DistIpam.Grains.Tests;

/// <summary>Every grain test class shares one <see cref="ClusterFixture"/> (starting a cluster takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class SharedCluster : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cluster";
}
