namespace DistIpam.Grains.Pools;

/// <summary>
/// One claimed block of a pool. Claims are two-phase: <see cref="Confirmed"/> is false while the
/// block grain has not yet recorded its owner, so a crash mid-claim leaves a visible pending claim
/// that is repaired instead of trusted. Ids are never reused or renumbered.
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
}
