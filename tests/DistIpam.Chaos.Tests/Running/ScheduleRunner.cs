using System.Diagnostics;
using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Model;
using DistIpam.Chaos.Tests.Schedules;
using DistIpam.Chaos.Tests.Services;

namespace DistIpam.Chaos.Tests.Running;

/// <summary>
/// Runs one <see cref="Schedule"/> on the shared cluster: the nodes' workers at the same time,
/// the fault while they run (with churn load until it ends), then the checks of invariants 1-5
/// and 7, the cleanup (release every handle, drain every node, delete every service) and the
/// checks of invariant 6, each polled within the convergence window.
/// </summary>
internal sealed class ScheduleRunner(ChaosEnvironment environment)
{
    /// <summary>Invariant 6: after the faults stop, every silo serves an Allocate again within this bound.</summary>
    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    private const int MaxChurnRounds = 40;
    private const int MaxRecoveryProbes = 200;
    private static readonly TimeSpan RecoveryProbePause = TimeSpan.FromMilliseconds(250);
    private const int ClaimBurstNodes = 6;
    private static readonly TimeSpan WatchCatchUp = TimeSpan.FromSeconds(30);

    /// <summary>The convergence window of shrink runs: a failure that did not converge once is not waited for as long again.</summary>
    public static readonly TimeSpan ShrinkConvergenceWindow = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs <paramref name="schedule"/> with the names of <paramref name="names"/>; a
    /// <paramref name="shrinking"/> run polls its checks within <see cref="ShrinkConvergenceWindow"/> at most.
    /// </summary>
    public async Task<ScheduleResult> RunAsync(Schedule schedule, ScheduleNames names, bool shrinking = false)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(names);
        var window = shrinking && ShrinkConvergenceWindow < environment.ConvergenceWindow ? ShrinkConvergenceWindow : environment.ConvergenceWindow;
        var clock = Stopwatch.StartNew();
        var violations = new ViolationLog();
        var internalBefore = environment.Client.Statistics.InternalErrors.Count;
        var model = new AllocationModel(environment.Observer.Pools, violations);
        var serviceModel = new ServiceModel(violations);
        var services = new ServiceOperations(environment.Client, serviceModel, names.Namespace, ScheduleNames.Service);
        var scope = new CheckScope(names.Prefix, ScheduleNames.Network);
        await environment.Faults.RestartExitedAsync();

        var startVersion = await ListVersionAsync(names.Namespace);
        await using var watch = new WatchFollower(environment.Client, () => environment.Cluster.Silos, names.Namespace, startVersion);
        watch.Start();

        var steps = await RunWorkAsync(schedule, names, model, services);
        watch.Interrupt();
        var recovery = schedule.Fault is null ? TimeSpan.Zero : await MeasureRecoveryAsync(names, violations);

        await PollUntilCleanAsync(async () =>
        {
            var observed = await environment.Observer.ObserveAsync(model.Snapshot(), model.AllHandles());
            return [.. InvariantChecker.Check(model.Snapshot(), observed), .. await CheckServicesAsync(serviceModel, watch, names.Namespace)];
        }, violations, window);

        steps += await CleanUpAsync(model, serviceModel, services);
        var cleanupClock = Stopwatch.StartNew();
        await PollUntilCleanAsync(async () =>
        {
            var observed = await environment.Observer.ObserveAsync(model.Snapshot(), model.AllHandles());
            return [.. InvariantChecker.Check(model.Snapshot(), observed), .. CleanupChecker.Check(scope, observed)];
        }, violations, window);
        var convergence = cleanupClock.Elapsed;

        foreach (var error in environment.Client.Statistics.InternalErrors.Skip(internalBefore))
        {
            violations.Report(Violation.InternalError, $"INTERNAL answer (only for bugs): {error}", "");
        }

        return new ScheduleResult(violations.All, steps, clock.Elapsed, recovery, convergence);
    }

    private async Task<int> RunWorkAsync(Schedule schedule, ScheduleNames names, AllocationModel model, ServiceOperations services)
    {
        var workers = Enumerable.Range(0, schedule.Nodes).Select(n => new NodeWorker(environment.Client, model, services, names, n)).ToList();
        var fault = schedule.Fault;
        var completed = 0;
        var finished = 0;
        var faultMayStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stepsDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var faultDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (fault is null)
        {
            faultDone.TrySetResult();
        }

        if (fault is null || fault.AfterOperations == 0)
        {
            faultMayStart.TrySetResult();
        }

        void StepDone()
        {
            if (Interlocked.Increment(ref completed) >= (fault?.AfterOperations ?? 0))
            {
                faultMayStart.TrySetResult();
            }
        }

        var running = workers.Select((worker, n) => Task.Run(async () =>
        {
            try
            {
                await worker.RunAsync(schedule.StepsOf(n), StepDone);
            }
            finally
            {
                if (Interlocked.Increment(ref finished) == workers.Count)
                {
                    stepsDone.TrySetResult();
                }
            }

            await worker.ChurnAsync(faultDone.Task, MaxChurnRounds);
        })).ToList();

        var burst = new NodeWorker(environment.Client, model, services, names, 0);
        if (fault is not null)
        {
            try
            {
                // A schedule whose steps all finish before the threshold still gets its fault.
                await Task.WhenAny(faultMayStart.Task, stepsDone.Task);
                await environment.Faults.InjectAsync(fault, () => Task.WhenAll(Enumerable.Range(0, ClaimBurstNodes).Select(i => burst.AllocateForAsync(names.BurstNode(i)))));
            }
            finally
            {
                faultDone.TrySetResult();
            }
        }

        await Task.WhenAll(running);
        return workers.Sum(w => w.Completed) + (fault?.Kind == FaultKind.KillDuringClaimBurst ? ClaimBurstNodes : 0);
    }

    /// <summary>Every silo, asked directly (no fail-over), must serve an Allocate within <see cref="RecoveryBound"/>.</summary>
    private async Task<TimeSpan> MeasureRecoveryAsync(ScheduleNames names, ViolationLog violations)
    {
        var clock = Stopwatch.StartNew();
        var silos = environment.Cluster.Silos;
        for (var i = 0; i < silos.Count; i++)
        {
            var node = names.Node(90 + i);
            var handle = ScheduleNames.Handle(node, 0);
            var served = false;
            var last = "";
            for (var attempt = 0; attempt < MaxRecoveryProbes && clock.Elapsed < RecoveryBound && !served; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(RecoveryProbePause);
                }

                // A silo may end itself late (declared dead while it was frozen): restarting it is part of recovery.
                await environment.Faults.RestartExitedAsync();

                var outcome = await environment.Client.CallAsync("Allocate (recovery probe)", i, (c, o) => new Ipam.IpamClient(c).AllocateAsync(new AllocateRequest { Handle = handle, Node = node }, o).ResponseAsync, singleAttempt: true);
                served = outcome.Status == Client.CallStatus.Succeeded;
                last = outcome.ToString();
            }

            if (!served)
            {
                violations.Report(6, $"silo {i} did not serve an Allocate within {RecoveryBound.TotalSeconds:0} s after the fault ended (last: {last})", "");
            }

            await environment.Client.CallAsync("Release (recovery probe)", i, (c, o) => new Ipam.IpamClient(c).ReleaseAsync(new ReleaseRequest { Handle = handle, Node = node }, o).ResponseAsync);
            await environment.Client.CallAsync("ReleaseNode (recovery probe)", i, (c, o) => new Pools.PoolsClient(c).ReleaseNodeAsync(new ReleaseNodeRequest { Node = node }, o).ResponseAsync);
        }

        return clock.Elapsed;
    }

    private async Task<IReadOnlyList<Violation>> CheckServicesAsync(ServiceModel model, WatchFollower watch, string ns)
    {
        var all = await environment.Client.CallAsync("ListServices", 0, (c, o) => new Api.V1.Services.ServicesClient(c).ListServicesAsync(new ListServicesRequest(), o).ResponseAsync);
        var slices = await environment.Client.CallAsync("ListEndpointSlices", 0, (c, o) => new Api.V1.Services.ServicesClient(c).ListEndpointSlicesAsync(new ListEndpointSlicesRequest { Namespace = ns }, o).ResponseAsync);
        if (all.Value is null || slices.Value is null)
        {
            return [new Violation(6, $"ListServices / ListEndpointSlices did not answer ({all}; {slices})", "")];
        }

        var violations = ServiceChecker.Check(model.All(), [.. all.Value.Services]).ToList();
        var target = Math.Max(all.Value.Version, slices.Value.Version);
        var caughtUp = Stopwatch.StartNew();
        while (watch.LastVersion < target && caughtUp.Elapsed < WatchCatchUp)
        {
            await Task.Delay(Testing.Poll.Interval);
        }

        var mine = all.Value.Services.Where(s => s.Namespace == ns).ToList();
        var difference = watch.LastVersion < target
            ? $"the watch reached version {watch.LastVersion} only, the lists are at {target}"
            : watch.DiffersFrom(mine, slices.Value.Slices);
        if (difference is not null)
        {
            violations.Add(new Violation(7, $"a watch of {ns} resumed from its last version ({watch.Resumes} resumes, {watch.Relists} relists) differs from a fresh List: {difference}", string.Join("; ", model.All().Select(r => $"{r.Key}: {string.Join(" | ", r.History)}"))));
        }

        return violations;
    }

    private async Task<int> CleanUpAsync(AllocationModel model, ServiceModel serviceModel, ServiceOperations services)
    {
        var steps = 0;
        foreach (var handle in model.AllHandles())
        {
            model.ReleaseStarting(handle);
            var outcome = await environment.Client.CallAsync("Release (cleanup)", steps, (c, o) => new Ipam.IpamClient(c).ReleaseAsync(new ReleaseRequest { Handle = handle.Handle, Node = handle.Node }, o).ResponseAsync);
            model.Released(handle, outcome.Status, $"cleanup Release -> {outcome}");
            steps++;
        }

        foreach (var node in model.AllHandles().Select(h => h.Node).Distinct(StringComparer.Ordinal))
        {
            await environment.Client.CallAsync("ReleaseNode (cleanup)", steps++, (c, o) => new Pools.PoolsClient(c).ReleaseNodeAsync(new ReleaseNodeRequest { Node = node }, o).ResponseAsync);
        }

        foreach (var record in serviceModel.All())
        {
            await services.DeleteAsync(record, steps++);
        }

        return steps;
    }

    private async Task<long> ListVersionAsync(string ns)
    {
        var listed = await environment.Client.CallAsync("ListServices", 0, (c, o) => new Api.V1.Services.ServicesClient(c).ListServicesAsync(new ListServicesRequest { Namespace = ns }, o).ResponseAsync);
        return listed.Reply.Version;
    }

    /// <summary>Runs <paramref name="check"/> until it finds nothing or the convergence window passes; reports what the last run found.</summary>
    internal static async Task PollUntilCleanAsync(Func<Task<IReadOnlyList<Violation>>> check, ViolationLog violations, TimeSpan window)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<Violation> found;
        do
        {
            found = await check();
            if (found.Count == 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
        while (clock.Elapsed < window);

        foreach (var violation in found)
        {
            violations.Report(violation);
        }
    }
}
