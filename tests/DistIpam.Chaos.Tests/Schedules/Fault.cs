using System.Globalization;

namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>A fault injected once the schedule's workers have completed <paramref name="AfterOperations"/> steps.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="Silo">The silo it happens to (index into the cluster's silos).</param>
/// <param name="OtherSilo">For <see cref="FaultKind.PauseWhileKill"/>: the silo that is killed while <paramref name="Silo"/> is paused.</param>
/// <param name="AfterOperations">How many steps complete before the fault starts (0: at once).</param>
internal sealed record Fault(FaultKind Kind, int Silo, int OtherSilo, int AfterOperations)
{
    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FaultKind.PauseWhileKill => string.Create(CultureInfo.InvariantCulture, $"{Kind}(pause silo{Silo}, kill silo{OtherSilo}, after {AfterOperations} steps)"),
        FaultKind.RedisRestart or FaultKind.RedisPause or FaultKind.AddSilo => string.Create(CultureInfo.InvariantCulture, $"{Kind}(after {AfterOperations} steps)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Kind}(silo{Silo}, after {AfterOperations} steps)"),
    };
}
