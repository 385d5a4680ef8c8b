namespace DistIpam.Chaos.Tests.Observation;

/// <summary>One block's stored state in Redis: its owner (null when unclaimed) and allocations.</summary>
internal sealed record StoredBlockView(string Pool, string Block, string? Owner, IReadOnlyList<StoredAllocationView> Allocations);
