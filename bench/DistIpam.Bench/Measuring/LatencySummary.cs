namespace DistIpam.Bench.Measuring;

/// <summary>Latency percentiles in milliseconds (from an HdrHistogram, 3 significant digits).</summary>
public sealed record LatencySummary(int Count, double P50Ms, double P90Ms, double P99Ms, double MaxMs, double MeanMs);
