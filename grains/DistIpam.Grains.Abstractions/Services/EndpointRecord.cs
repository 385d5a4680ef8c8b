namespace DistIpam.Grains.Services;

/// <summary>
/// One endpoint of a service, keyed by <see cref="Target"/> (a pod uid). In a slice it carries only
/// the addresses of the slice's family. Ids are never reused or renumbered (stored state).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EndpointRecord
{
    /// <summary>The target (pod uid): the key of the endpoint within its service.</summary>
    [Id(0)] public required string Target { get; init; }

    /// <summary>Canonical IP addresses (either family; they need not be in a pod pool).</summary>
    [Id(1)] public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>Ports.</summary>
    [Id(2)] public IReadOnlyList<EndpointPortRecord> Ports { get; init; } = [];

    /// <summary>Ready to receive traffic.</summary>
    [Id(3)] public bool Ready { get; init; } = true;

    /// <summary>Serving (may be true while terminating).</summary>
    [Id(4)] public bool Serving { get; init; } = true;

    /// <summary>Terminating.</summary>
    [Id(5)] public bool Terminating { get; init; }

    /// <summary>The node the endpoint runs on; may be empty.</summary>
    [Id(6)] public string NodeName { get; init; } = "";

    /// <summary>The zone; may be empty.</summary>
    [Id(7)] public string Zone { get; init; } = "";

    /// <summary>True when everything but the addresses is equal to <paramref name="other"/> and the address lists are equal too.</summary>
    public bool SameAs(EndpointRecord other) =>
        other is not null
        && Target == other.Target && Ready == other.Ready && Serving == other.Serving && Terminating == other.Terminating
        && NodeName == other.NodeName && Zone == other.Zone
        && Addresses.SequenceEqual(other.Addresses) && Ports.SequenceEqual(other.Ports);
}
