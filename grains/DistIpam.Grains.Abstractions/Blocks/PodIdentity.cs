namespace DistIpam.Grains.Blocks;

/// <summary>Who an allocation is for; recorded with it for operators. Ids are never renumbered.</summary>
[GenerateSerializer, Immutable]
public sealed record PodIdentity
{
    /// <summary>An identity with nothing known.</summary>
    public static PodIdentity None { get; } = new();

    /// <summary>The node the pod runs on.</summary>
    [Id(0)] public string? Node { get; init; }

    /// <summary>Kubernetes namespace.</summary>
    [Id(1)] public string? Namespace { get; init; }

    /// <summary>Pod name.</summary>
    [Id(2)] public string? Name { get; init; }

    /// <summary>Pod UID.</summary>
    [Id(3)] public string? Uid { get; init; }

    /// <summary>
    /// The holding handle's generation when it asked (its stored write count plus one). A block
    /// answers a handle's retry with the allocation it already holds only when that was made under
    /// the same or a higher generation; an older one is replaced, so a release fenced at a
    /// generation never frees what a newer attempt recorded (docs/architecture.md, "Fencing").
    /// </summary>
    [Id(4)] public ulong HandleGeneration { get; init; }
}
