namespace DistIpam.Cni.Tests.Netns;

/// <summary>The namespace tests share one server of their own and run in parallel with the functional tests.</summary>
[CollectionDefinition(Name)]
public sealed class NetnsGroup : ICollectionFixture<Fixtures.ServerFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "network namespaces";
}
