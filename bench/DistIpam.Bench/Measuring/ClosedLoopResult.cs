namespace DistIpam.Bench.Measuring;

/// <summary>What a closed-loop run did.</summary>
public sealed record ClosedLoopResult(long Completed, long Failed, TimeSpan Elapsed, string? FirstError)
{
    /// <summary>Completed operations per second.</summary>
    public double PerSecond => Completed / Elapsed.TotalSeconds;
}
