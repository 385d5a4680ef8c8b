namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>
/// Smaller schedules to try after a failure: the fault at once, half the steps, one step less,
/// and last no fault (faults usually trigger what fails). Each candidate costs a real run, so
/// the list is short.
/// </summary>
internal static class ScheduleShrinker
{
    private const int MaxSingleRemovals = 14;

    /// <summary>Candidates smaller than <paramref name="schedule"/>.</summary>
    public static IEnumerable<Schedule> Shrink(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Fault is { AfterOperations: > 0 } delayed)
        {
            yield return schedule with { Fault = delayed with { AfterOperations = 0 } };
        }

        var steps = schedule.Operations;
        if (steps.Count >= 2)
        {
            yield return schedule with { Operations = [.. steps.Take(steps.Count / 2)] };
            yield return schedule with { Operations = [.. steps.Skip(steps.Count / 2)] };
        }

        for (var i = 0; i < Math.Min(steps.Count, MaxSingleRemovals); i++)
        {
            var index = i;
            yield return schedule with { Operations = [.. steps.Where((_, j) => j != index)] };
        }

        if (schedule.Fault is not null)
        {
            yield return schedule with { Fault = null };
        }
    }
}
