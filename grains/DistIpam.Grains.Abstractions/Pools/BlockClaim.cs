namespace DistIpam.Grains.Pools;

/// <summary>
/// One claimed block of a pool, in one of three states (docs/architecture.md, "Block lifecycle"):
/// pending (<see cref="Confirmed"/> false: the block grain has not yet recorded its owner, so a
/// crash mid-claim leaves a visible pending claim that is repaired instead of trusted), confirmed,
/// and returning (<see cref="Returning"/>: the block is being retired and the claim removed; it is
/// neither handed back nor re-initialized meanwhile). Ids are never reused or renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BlockClaim
{
    /// <summary>The block CIDR.</summary>
    [Id(0)] public required string Block { get; init; }

    /// <summary>The node with affinity to the block.</summary>
    [Id(1)] public required string Node { get; init; }

    /// <summary>True once the block grain has durably recorded <see cref="Node"/> as owner.</summary>
    [Id(2)] public bool Confirmed { get; init; }

    /// <summary>When the claim was started (Unix ms).</summary>
    [Id(3)] public long ClaimedAtUnixMs { get; init; }

    /// <summary>
    /// True while the claim is being released (only a confirmed claim is): the block is retired
    /// if still empty, then the claim removed, or, if it holds an address again, the return undone.
    /// Durable, so a return a crash interrupted is completed or undone by the pool's next activation.
    /// </summary>
    [Id(4)] public bool Returning { get; init; }
}
