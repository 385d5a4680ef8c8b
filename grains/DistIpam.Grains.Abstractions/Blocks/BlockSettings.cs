namespace DistIpam.Grains.Blocks;

/// <summary>
/// What a block needs from its pool to allocate on its own: set when the block is claimed and
/// when the pool's reserved ranges change. Ids are never reused or renumbered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BlockSettings
{
    /// <summary>The node that claimed the block.</summary>
    [Id(0)] public required string Owner { get; init; }

    /// <summary>Reserved ranges of the pool (only the part inside the block matters).</summary>
    [Id(1)] public IReadOnlyList<string> Reserved { get; init; } = [];

    /// <summary>True for bridged pools: the block's first usable address is its gateway.</summary>
    [Id(2)] public bool HasGateway { get; init; }

    /// <summary>How long a released address rests before reuse while others are free.</summary>
    [Id(3)] public TimeSpan ReleaseCooldown { get; init; } = TimeSpan.FromSeconds(30);
}
