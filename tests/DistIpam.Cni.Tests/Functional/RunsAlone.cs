namespace DistIpam.Cni.Tests.Functional;

/// <summary>The latency measurement runs alone so that other tests do not inflate it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    /// <summary>The collection name.</summary>
    public const string Name = "latency (alone)";
}
