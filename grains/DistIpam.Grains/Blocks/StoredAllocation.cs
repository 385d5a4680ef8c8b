namespace DistIpam.Grains.Blocks;

/// <summary>One held address inside <see cref="BlockState"/>. Ids are never reused or renumbered.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredAllocation
{
    /// <summary>Offset within the block.</summary>
    [Id(0)] public int Offset { get; init; }

    /// <summary>The holding handle.</summary>
    [Id(1)] public required string HandleId { get; init; }

    /// <summary>Sequence number.</summary>
    [Id(2)] public ulong Sequence { get; init; }

    /// <summary>Who it is for.</summary>
    [Id(3)] public PodIdentity Pod { get; init; } = PodIdentity.None;

    /// <summary>When it was allocated (Unix ms).</summary>
    [Id(4)] public long AllocatedAtUnixMs { get; init; }
}
