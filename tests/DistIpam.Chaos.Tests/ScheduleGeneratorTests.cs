using DistIpam.Chaos.Tests.Schedules;
using FsCheck.Fluent;

namespace DistIpam.Chaos.Tests;

/// <summary>The generator reaches every step, fault and silo, and the shrinker only ever makes schedules smaller.</summary>
public sealed class ScheduleGeneratorTests
{
    private const int Samples = 300;

    [Fact]
    public void Generate_OtherFaults_ReachesEveryKindAndSilo()
    {
        var schedules = ScheduleGenerator.Generate(FaultClass.Other, 3).Sample(Samples);

        var kinds = schedules.Select(s => s.Fault!.Kind).Distinct().ToList();
        var silos = schedules.Select(s => s.Fault!.Silo).Distinct().Order().ToList();
        Assert.Equal(8, kinds.Count);
        Assert.DoesNotContain(FaultKind.LongPause, kinds);
        Assert.Equal([0, 1, 2], silos);
        Assert.All(schedules, s => Assert.NotEqual(s.Fault!.Silo, s.Fault.OtherSilo));
    }

    [Fact]
    public void Generate_Work_ReachesEveryStepKindFamilyAndAddressChoice()
    {
        var steps = ScheduleGenerator.Generate(FaultClass.None, 3).Sample(Samples).SelectMany(s => s.Operations).ToList();

        Assert.Equal(Enum.GetValues<OperationKind>().Length, steps.Select(o => o.Kind).Distinct().Count());
        Assert.Equal(Enum.GetValues<FamilyChoice>().Length, steps.Select(o => o.Families).Distinct().Count());
        Assert.Equal(Enum.GetValues<AddressChoice>().Length, steps.Select(o => o.Address).Distinct().Count());
    }

    [Fact]
    public void Shrink_AnySchedule_YieldsOnlySmallerOnes()
    {
        foreach (var schedule in ScheduleGenerator.Generate(FaultClass.Other, 3).Sample(50))
        {
            Assert.All(ScheduleShrinker.Shrink(schedule), smaller => Assert.True(
                smaller.Operations.Count < schedule.Operations.Count
                || (smaller.Fault is null && schedule.Fault is not null)
                || smaller.Fault?.AfterOperations < schedule.Fault?.AfterOperations,
                $"{smaller} is not smaller than {schedule}"));
        }
    }
}
