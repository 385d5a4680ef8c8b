using System.Globalization;

namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>One step of one simulated node. Steps of one node run in order; nodes run at the same time.</summary>
/// <param name="Node">The simulated node (0-based) whose worker runs the step.</param>
/// <param name="Slot">The node's handle (or service) slot the step acts on; the same slot means the same handle.</param>
/// <param name="Kind">What the step does.</param>
/// <param name="Families">For allocations: which families.</param>
/// <param name="Address">For allocations: whether specific addresses are requested.</param>
internal sealed record Operation(int Node, int Slot, OperationKind Kind, FamilyChoice Families, AddressChoice Address)
{
    /// <summary>Whether the step is an allocation (its families and address choice matter).</summary>
    public bool IsAllocation => Kind is OperationKind.Allocate or OperationKind.RetryAllocate or OperationKind.ReleaseThenReuse;

    /// <inheritdoc />
    public override string ToString() => IsAllocation
        ? string.Create(CultureInfo.InvariantCulture, $"n{Node}.{Kind}(h{Slot}, {Families}, {Address})")
        : string.Create(CultureInfo.InvariantCulture, $"n{Node}.{Kind}({(Kind == OperationKind.DrainNode ? "" : "s" + Slot.ToString(CultureInfo.InvariantCulture))})");
}
