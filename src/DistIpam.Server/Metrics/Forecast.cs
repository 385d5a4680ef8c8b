namespace DistIpam.Server.Metrics;

/// <summary>
/// Time until a pool is full from its net allocation rate over the window: (newest in use - oldest
/// in use) / elapsed, against what is still allocatable (cooldown and, for strict pools, stranded
/// addresses counted as unavailable). Not growing: never.
/// </summary>
public static class Forecast
{
    /// <summary>Net allocations per second over <paramref name="samples"/> (oldest first); 0 when fewer than two.</summary>
    public static double RatePerSecond(IReadOnlyList<PoolSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2 || samples[^1].AtUnixMs <= samples[0].AtUnixMs)
        {
            return 0;
        }

        return (samples[^1].InUse - samples[0].InUse) / ((samples[^1].AtUnixMs - samples[0].AtUnixMs) / 1000.0);
    }

    /// <summary>Seconds until full, or +Infinity when the pool is not filling.</summary>
    public static double SecondsToFull(IReadOnlyList<PoolSample> samples)
    {
        var rate = RatePerSecond(samples);
        return rate <= 0 ? double.PositiveInfinity : samples[^1].Allocatable / rate;
    }
}
