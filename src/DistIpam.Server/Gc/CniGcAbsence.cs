namespace DistIpam.Server.Gc;

/// <summary>
/// A handle that CNI GC calls found held on a node but absent from the runtime's valid list
/// (immutable; stored by <see cref="ICniGcLedgerGrain"/>). Ids are never reused or renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CniGcAbsence
{
    /// <summary>The handle key (network/container/interface).</summary>
    [Id(0)] public required string Handle { get; init; }

    /// <summary>What it held when first seen absent: "pool|address|sequence" per address, sorted.</summary>
    [Id(1)] public IReadOnlyList<string> Leases { get; init; } = [];

    /// <summary>The first CNI GC call that left it out (Unix ms).</summary>
    [Id(2)] public long FirstObservedUnixMs { get; init; }

    /// <summary>The latest CNI GC call that left it out (Unix ms).</summary>
    [Id(3)] public long LastObservedUnixMs { get; init; }

    /// <summary>How many CNI GC calls in a row left it out while it held the same addresses.</summary>
    [Id(4)] public int Observations { get; init; }
}
