namespace DistIpam.Server.History;

/// <summary>One allocation or release of one address. Stored: ids are never reused or renumbered.</summary>
[GenerateSerializer, Immutable]
public sealed record HistoryEvent
{
    [Id(0)] public HistoryEventKind Kind { get; init; }

    [Id(1)] public long AtUnixMs { get; init; }

    [Id(2)] public required string Address { get; init; }

    [Id(3)] public required string Pool { get; init; }

    [Id(4)] public required string Block { get; init; }

    [Id(5)] public ulong Sequence { get; init; }

    [Id(6)] public required string Handle { get; init; }

    [Id(7)] public string? Node { get; init; }

    [Id(8)] public string? PodNamespace { get; init; }

    [Id(9)] public string? PodName { get; init; }

    [Id(10)] public string? PodUid { get; init; }

    /// <summary>Who released it: the RPC or controller (Ipam.Release, Nodes.DrainNode, gc, reconciler, ...).</summary>
    [Id(11)] public string? Actor { get; init; }

    /// <summary>Why: DEL, CNI GC, drain (with the operator's reason), leaked, ...</summary>
    [Id(12)] public string? Reason { get; init; }

    /// <summary>Whether two events record the same fact (a retried ADD or DEL appends nothing).</summary>
    public bool SameFactAs(HistoryEvent other) =>
        other is not null && Kind == other.Kind && Address == other.Address && Sequence == other.Sequence && Handle == other.Handle;
}
