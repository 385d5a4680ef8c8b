namespace DistIpam.Bench.Scenarios;

/// <summary>Sizes of the failover scenario.</summary>
/// <param name="Workers">Concurrent clients (each with one call in flight, preferring silo worker % 3).</param>
/// <param name="SteadySeconds">Load before the kill.</param>
/// <param name="AfterKillSeconds">Load after the kill.</param>
/// <param name="EventSeconds">The window after the kill counted as "during the event".</param>
public sealed record FailoverOptions(int Workers, int SteadySeconds, int AfterKillSeconds, int EventSeconds)
{
    /// <summary>16 clients, 15 s steady, 30 s after the kill (event window 15 s); or a short smoke run.</summary>
    public static FailoverOptions For(bool smoke) => smoke ? new(4, 3, 8, 8) : new(16, 15, 30, 15);
}
