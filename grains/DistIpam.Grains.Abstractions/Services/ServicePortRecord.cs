namespace DistIpam.Grains.Services;

/// <summary>One port of a service. Ids are never reused or renumbered (stored state).</summary>
[GenerateSerializer, Immutable]
public sealed record ServicePortRecord
{
    /// <summary>DNS-1123 label; may be empty when the service has one port.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>TCP, UDP or SCTP.</summary>
    [Id(1)] public string Protocol { get; init; } = "TCP";

    /// <summary>The service port, 1-65535.</summary>
    [Id(2)] public int Port { get; init; }

    /// <summary>The endpoints' port, 1-65535 (defaults to <see cref="Port"/>).</summary>
    [Id(3)] public int TargetPort { get; init; }

    /// <summary>The NodePort; 0 when the service is not of type NodePort (in a request: 0 = allocate one).</summary>
    [Id(4)] public int NodePort { get; init; }
}
