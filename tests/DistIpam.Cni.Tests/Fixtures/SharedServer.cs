namespace DistIpam.Cni.Tests.Fixtures;

/// <summary>Tests that share one server and the published plugin.</summary>
[CollectionDefinition(Name)]
public sealed class SharedServer : ICollectionFixture<ServerFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "distipam server";
}
