namespace DistIpam.Bench.Scenarios;

/// <summary>One Allocate of the failover load: when it started and ended (seconds since the load began) and whether it succeeded.</summary>
public readonly record struct FailoverCall(double StartSeconds, double EndSeconds, bool Succeeded)
{
    /// <summary>The latency in milliseconds, retries included.</summary>
    public double LatencyMs => (EndSeconds - StartSeconds) * 1000;
}
