using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>FsCheck generation and shrinking of <see cref="Schedule"/>s.</summary>
internal static class ScheduleGenerator
{
    /// <summary>Slots per node: few, so handles are re-used, retried and released again.</summary>
    public const int SlotsPerNode = 3;

    private const int MinNodes = 2;
    private const int MaxNodes = 4;
    private const int MinSteps = 4;
    private const int MaxSteps = 14;
    private const int MaxFaultDelaySteps = 3;

    private static readonly FaultKind[] OtherFaults =
    [
        FaultKind.KillSilo, FaultKind.StopSilo, FaultKind.ShortPause, FaultKind.PauseWhileKill,
        FaultKind.KillDuringClaimBurst, FaultKind.AddSilo, FaultKind.RedisRestart, FaultKind.RedisPause,
    ];

    /// <summary>Schedules of <paramref name="faults"/> on a cluster of <paramref name="silos"/> silos, with shrinking.</summary>
    public static Arbitrary<Schedule> Arbitrary(FaultClass faults, int silos) =>
        Arb.ToArbitrary(Generate(faults, silos), ScheduleShrinker.Shrink);

    /// <summary>The generator alone.</summary>
    public static Gen<Schedule> Generate(FaultClass faults, int silos) =>
        from nodes in Gen.Choose(MinNodes, MaxNodes)
        from count in Gen.Choose(MinSteps, MaxSteps)
        from steps in Step(nodes).ListOf(count)
        from fault in FaultOf(faults, silos)
        select new Schedule(nodes, [.. steps], fault);

    private static Gen<Operation> Step(int nodes) =>
        from node in Gen.Choose(0, nodes - 1)
        from slot in Gen.Choose(0, SlotsPerNode - 1)
        from kind in Gen.Frequency(
            (30, Gen.Constant(OperationKind.Allocate)),
            (10, Gen.Constant(OperationKind.RetryAllocate)),
            (15, Gen.Constant(OperationKind.Release)),
            (8, Gen.Constant(OperationKind.ReleaseThenReuse)),
            (5, Gen.Constant(OperationKind.GarbageCollect)),
            (3, Gen.Constant(OperationKind.DrainNode)),
            (6, Gen.Constant(OperationKind.MoveHandle)),
            (5, Gen.Constant(OperationKind.CreateService)),
            (2, Gen.Constant(OperationKind.UpdateService)),
            (2, Gen.Constant(OperationKind.DeleteService)),
            (4, Gen.Constant(OperationKind.UpsertEndpoints)),
            (2, Gen.Constant(OperationKind.RemoveEndpoints)))
        from families in Gen.Frequency(
            (50, Gen.Constant(FamilyChoice.DualStack)),
            (25, Gen.Constant(FamilyChoice.V4)),
            (25, Gen.Constant(FamilyChoice.V6)))
        from address in Gen.Frequency(
            (70, Gen.Constant(AddressChoice.Any)),
            (15, Gen.Constant(AddressChoice.Fresh)),
            (8, Gen.Constant(AddressChoice.Taken)),
            (7, Gen.Constant(AddressChoice.Reserved)))
        select new Operation(node, slot, kind, families, address);

    private static Gen<Fault?> FaultOf(FaultClass faults, int silos) => faults switch
    {
        FaultClass.None => Gen.Constant<Fault?>(null),
        FaultClass.LongPause => FaultOf([FaultKind.LongPause], silos),
        FaultClass.Crash => FaultOf([FaultKind.KillSilo, FaultKind.KillDuringClaimBurst, FaultKind.RedisRestart], silos),
        _ => FaultOf(OtherFaults, silos),
    };

    private static Gen<Fault?> FaultOf(FaultKind[] kinds, int silos) =>
        from kind in Gen.Elements(kinds)
        from silo in Gen.Choose(0, silos - 1)
        from shift in Gen.Choose(1, silos - 1)
        from after in Gen.Choose(0, MaxFaultDelaySteps)
        select (Fault?)new Fault(kind, silo, (silo + shift) % silos, after);
}
