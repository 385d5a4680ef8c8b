namespace DistIpam.Grains.Services;

/// <summary>An allocated NodePort or ClusterIP and who holds it (for checks and tests).</summary>
[GenerateSerializer, Immutable]
public sealed record HeldValue
{
    /// <summary>The port or address as text.</summary>
    [Id(0)] public required string Value { get; init; }

    /// <summary>The holder ("namespace/name").</summary>
    [Id(1)] public required string Holder { get; init; }
}
