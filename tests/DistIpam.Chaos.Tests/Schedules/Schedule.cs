using System.Globalization;

namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>
/// A generated test case: the steps of several simulated nodes (run at the same time, each node's
/// in order) and at most one fault injected while they run.
/// </summary>
/// <param name="Nodes">How many simulated nodes (workers) run.</param>
/// <param name="Operations">The steps, in generation order; <see cref="Operation.Node"/> says whose.</param>
/// <param name="Fault">The fault, or null for a schedule of concurrent work only.</param>
internal sealed record Schedule(int Nodes, IReadOnlyList<Operation> Operations, Fault? Fault)
{
    /// <summary>The steps of one node, in order.</summary>
    public IReadOnlyList<Operation> StepsOf(int node) => [.. Operations.Where(o => o.Node == node)];

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Nodes} nodes, fault {(Fault?.ToString() ?? "none")}, steps [{string.Join(", ", Operations)}]");
}
