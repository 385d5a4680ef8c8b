namespace DistIpam.Server.Nodes;

/// <summary>What a node's lease grain knows (an answer; the stored form is <see cref="NodeLeaseState"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record NodeLease
{
    [Id(0)] public required string Node { get; init; }

    [Id(1)] public IReadOnlyList<string> Addresses { get; init; } = [];

    [Id(2)] public string AgentVersion { get; init; } = "";

    [Id(3)] public long FirstSeenUnixMs { get; init; }

    /// <summary>The last heartbeat this activation saw (or the last durable one after a restart).</summary>
    [Id(4)] public long LastSeenUnixMs { get; init; }

    [Id(5)] public long DrainedAtUnixMs { get; init; }

    [Id(6)] public string DrainReason { get; init; } = "";

    /// <summary>The most recent drain (Unix ms; 0 if never), kept after a heartbeat revived the node.</summary>
    [Id(7)] public long LastDrainedAtUnixMs { get; init; }

    /// <summary>That drain's reason.</summary>
    [Id(8)] public string LastDrainReason { get; init; } = "";
}
