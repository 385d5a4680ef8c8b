namespace DistIpam.Grains.Services;

/// <summary>One port of an endpoint. Ids are never reused or renumbered (stored state).</summary>
[GenerateSerializer, Immutable]
public sealed record EndpointPortRecord
{
    /// <summary>Matches a service port name; may be empty.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>TCP, UDP or SCTP.</summary>
    [Id(1)] public string Protocol { get; init; } = "TCP";

    /// <summary>1-65535.</summary>
    [Id(2)] public int Port { get; init; }
}
