namespace DistIpam.Server.Nodes;

/// <summary>A node lease's stored state. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class NodeLeaseState
{
    [Id(0)] public List<string> Addresses { get; set; } = [];

    [Id(1)] public string AgentVersion { get; set; } = "";

    [Id(2)] public long FirstSeenUnixMs { get; set; }

    /// <summary>The last heartbeat written (at most one lease duration behind the last one received).</summary>
    [Id(3)] public long LastSeenUnixMs { get; set; }

    [Id(4)] public long DrainedAtUnixMs { get; set; }

    [Id(5)] public string DrainReason { get; set; } = "";

    /// <summary>The most recent drain, kept when a heartbeat revives the node (DrainedAtUnixMs is cleared then).</summary>
    [Id(6)] public long LastDrainedAtUnixMs { get; set; }

    [Id(7)] public string LastDrainReason { get; set; } = "";
}
