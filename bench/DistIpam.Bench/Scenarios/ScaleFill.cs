namespace DistIpam.Bench.Scenarios;

/// <summary>What the scale fill did, with the rate measured every 5% of the target (at most every 500 allocations).</summary>
public sealed record ScaleFill(long Done, long Failed, TimeSpan Elapsed, string? FirstError, IReadOnlyList<(long Done, double Rate)> Progress);
