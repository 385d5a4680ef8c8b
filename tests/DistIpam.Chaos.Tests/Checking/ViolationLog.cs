using System.Collections.Concurrent;

namespace DistIpam.Chaos.Tests.Checking;

/// <summary>Violations found while a schedule runs (from any worker thread).</summary>
internal sealed class ViolationLog
{
    private readonly ConcurrentQueue<Violation> _violations = new();

    /// <summary>Everything reported so far, in order.</summary>
    public IReadOnlyList<Violation> All => [.. _violations];

    /// <summary>Reports a violation.</summary>
    public void Report(Violation violation) => _violations.Enqueue(violation);

    /// <summary>Reports a violation.</summary>
    public void Report(int invariant, string what, string evidence) => _violations.Enqueue(new Violation(invariant, what, evidence));
}
