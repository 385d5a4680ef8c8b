namespace DistIpam.Bench.Reporting;

/// <summary>One target of the issue, the measured value and whether it was met.</summary>
/// <param name="Name">What is compared, e.g. "dual-stack ADD p50 ours/host-local (1 caller)".</param>
/// <param name="Measured">The measured ratio or count.</param>
/// <param name="Comparison">"&lt;=" or "&gt;=".</param>
/// <param name="Limit">The target.</param>
public sealed record TargetResult(string Name, double Measured, string Comparison, double Limit)
{
    /// <summary>Whether the measured value meets the target.</summary>
    public bool Met => Comparison == ">=" ? Measured >= Limit : Measured <= Limit;
}
