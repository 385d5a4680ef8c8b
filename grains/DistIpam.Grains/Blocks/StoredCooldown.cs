namespace DistIpam.Grains.Blocks;

/// <summary>One cooling address inside <see cref="BlockState"/>. Ids are never reused or renumbered.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredCooldown
{
    /// <summary>Offset within the block.</summary>
    [Id(0)] public int Offset { get; init; }

    /// <summary>When it was released (Unix ms).</summary>
    [Id(1)] public long ReleasedAtUnixMs { get; init; }
}
