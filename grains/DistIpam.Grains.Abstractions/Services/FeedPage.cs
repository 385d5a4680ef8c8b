namespace DistIpam.Grains.Services;

/// <summary>An answer of <see cref="IServiceFeedGrain.ReadAsync"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record FeedPage
{
    /// <summary>Durable events after the asked version, in version order (empty when too old).</summary>
    [Id(0)] public IReadOnlyList<ServiceEvent> Events { get; init; } = [];

    /// <summary>The newest durable version.</summary>
    [Id(1)] public long Latest { get; init; }

    /// <summary>The oldest version a reader may resume from (events after it are retained).</summary>
    [Id(2)] public long OldestResumable { get; init; }

    /// <summary>True when the asked version is older than <see cref="OldestResumable"/>: the reader must relist.</summary>
    [Id(3)] public bool TooOld { get; init; }
}
