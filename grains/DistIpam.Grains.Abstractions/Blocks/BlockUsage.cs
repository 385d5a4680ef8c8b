namespace DistIpam.Grains.Blocks;

/// <summary>A block's owner and fill level. Not stored.</summary>
[GenerateSerializer, Immutable]
public sealed record BlockUsage
{
    /// <summary>The block CIDR.</summary>
    [Id(0)] public required string Block { get; init; }

    /// <summary>The owner node, or null if the block is not initialized.</summary>
    [Id(1)] public string? Owner { get; init; }

    /// <summary>Allocatable addresses.</summary>
    [Id(2)] public int Capacity { get; init; }

    /// <summary>Addresses in use.</summary>
    [Id(3)] public int Used { get; init; }

    /// <summary>The gateway, if any.</summary>
    [Id(4)] public string? Gateway { get; init; }

    /// <summary>Free addresses still in their release cooldown (as of the last durable write; for metrics).</summary>
    [Id(5)] public int Cooling { get; init; }
}
