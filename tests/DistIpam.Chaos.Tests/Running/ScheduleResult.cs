using DistIpam.Chaos.Tests.Checking;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>How one schedule went.</summary>
/// <param name="Violations">Everything that broke (empty: it passed).</param>
/// <param name="Steps">Operations run (schedule steps, churn, cleanup).</param>
/// <param name="Elapsed">Wall time of the whole schedule.</param>
/// <param name="Recovery">After the fault: until every silo served an Allocate again (zero without a fault).</param>
/// <param name="Convergence">After the cleanup: until the checks were clean.</param>
internal sealed record ScheduleResult(IReadOnlyList<Violation> Violations, int Steps, TimeSpan Elapsed, TimeSpan Recovery, TimeSpan Convergence)
{
    /// <summary>Whether every invariant held.</summary>
    public bool Passed => Violations.Count == 0;
}
