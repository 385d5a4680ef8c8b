using DistIpam.Chaos.Tests.Schedules;
using DistIpam.Testing;

namespace DistIpam.Chaos.Tests.Faults;

/// <summary>
/// Injects one <see cref="Fault"/> into a <see cref="LocalCluster"/> and always ends with every
/// silo running again: killed silos restarted, paused ones resumed, a silo that ended itself after
/// a long pause restarted (only processes the cluster started, by pid).
/// </summary>
internal sealed class FaultInjector(LocalCluster cluster, FaultStatistics statistics)
{
    /// <summary>Injects <paramref name="fault"/>; <paramref name="startClaimBurst"/> starts the claim burst a <see cref="FaultKind.KillDuringClaimBurst"/> kills into.</summary>
    public async Task InjectAsync(Fault fault, Func<Task> startClaimBurst)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentNullException.ThrowIfNull(startClaimBurst);
        statistics.Injected(fault.Kind);
        var silos = cluster.Silos;
        var silo = silos[fault.Silo % silos.Count];
        var other = silos[fault.OtherSilo % silos.Count];
        try
        {
            switch (fault.Kind)
            {
                case FaultKind.KillSilo:
                    silo.Kill();
                    await Task.Delay(FaultTiming.DownTime);
                    break;
                case FaultKind.StopSilo:
                    await silo.StopAsync();
                    break;
                case FaultKind.ShortPause:
                    await PauseAsync(silo, FaultTiming.ShortPause);
                    break;
                case FaultKind.LongPause:
                    await PauseAsync(silo, FaultTiming.LongPause);
                    await AwaitSelfTerminationAsync(silo);
                    break;
                case FaultKind.PauseWhileKill:
                    silo.Pause();
                    other.Kill();
                    await Task.Delay(FaultTiming.ShortPause);
                    silo.Resume();
                    break;
                case FaultKind.KillDuringClaimBurst:
                    var burst = startClaimBurst();
                    await Task.Delay(FaultTiming.BurstKillDelay);
                    silo.Kill();
                    await Task.Delay(FaultTiming.DownTime);
                    await RestartExitedAsync();
                    await burst;
                    break;
                case FaultKind.AddSilo:
                    var added = await cluster.AddSiloAsync();
                    await Task.Delay(FaultTiming.AddedSiloServes);
                    await cluster.RemoveSiloAsync(added);
                    break;
                case FaultKind.RedisRestart:
                    await cluster.Redis.RestartAsync();
                    break;
                case FaultKind.RedisPause:
                    cluster.Redis.Pause();
                    await Task.Delay(FaultTiming.RedisPause);
                    cluster.Redis.Resume();
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "unknown fault");
            }
        }
        finally
        {
            cluster.Redis.Resume();
            foreach (var each in cluster.Silos)
            {
                each.Resume();
            }

            await RestartExitedAsync();
        }
    }

    /// <summary>Restarts every silo whose process has exited and waits until each is ready.</summary>
    public async Task RestartExitedAsync()
    {
        foreach (var silo in cluster.Silos.Where(s => s.HasExited))
        {
            statistics.Restarted();
            await silo.RestartAsync();
        }
    }

    private static async Task PauseAsync(ServerProcess silo, TimeSpan duration)
    {
        silo.Pause();
        try
        {
            await Task.Delay(duration);
        }
        finally
        {
            silo.Resume();
        }
    }

    /// <summary>
    /// A silo declared dead while frozen ends itself once it runs again; one that kept its
    /// membership serves again after its quarantine. Wait (bounded) for either.
    /// </summary>
    private async Task AwaitSelfTerminationAsync(ServerProcess silo)
    {
        // Let the resumed silo notice the pause first (its watchdog ticks every 100 ms): before
        // that its /readyz may still say ready.
        await Task.Delay(FaultTiming.ResumeSettle);
        using var deadline = new CancellationTokenSource(FaultTiming.SelfTerminationWait);
        try
        {
            await silo.WaitUntilReadyAsync(deadline.Token);
        }
        catch (ServerStartException)
        {
            statistics.SelfTerminated();
        }
        catch (OperationCanceledException)
        {
            // Neither exited nor ready: the recovery check (invariant 6) reports it if it stays so.
        }
    }
}
