using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Agent.Tests.Fixtures;

/// <summary>The agent tests share one server and the published plugin.</summary>
[CollectionDefinition(Name)]
public sealed class AgentGroup : ICollectionFixture<ServerFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "agent";
}
