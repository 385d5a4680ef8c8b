using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Xunit.Abstractions;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// A frozen silo (SIGSTOP: a frozen VM, a long GC pause) is declared dead by the others within the
/// failure-detection bound of docs/operations.md, under load, without evicting a healthy silo; when
/// it resumes it finds itself dead and stops.
/// </summary>
public sealed class FailureDetectionTests(ITestOutputHelper output)
{
    // docs/operations.md states T_detect (about 3.5 s measured here, 4.5 s at most); the bound is
    // generous for a loaded 2-core machine and still below the 8 s that the default probe window
    // gave (and below the chaos client's 8 s per-attempt deadline, which relies on it).
    private static readonly TimeSpan DetectionBound = TimeSpan.FromSeconds(7);
    private static readonly TimeSpan SelfStopBound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WarmLoad = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task PausedSilo_UnderLoad_DeclaredDeadWithinBoundAndNoHealthySiloEvicted()
    {
        await using var cluster = await LocalCluster.StartAsync(3, "detect");
        await using var table = await MembershipTable.ConnectAsync(cluster);
        var frozen = cluster.Silos[1];
        var survivors = new[] { cluster.Silos[0], cluster.Silos[2] };

        // Load through the survivors only: what it measures is how long they stall on the frozen one.
        using var client = new RetryingIpamClient(survivors);
        var recorder = new LoadRecorder();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 6).Select(n => RunWorkerAsync(client, recorder, n, stop.Token)).ToList();
        await Task.Delay(WarmLoad); // a load duration, not a wait for a condition

        var before = await table.NewestRowAsync(frozen.SiloPort);
        Assert.True(before is { Status: MembershipTable.Active }, $"expected silo 1 Active before the pause, saw {before}");
        var pausedAt = recorder.Now;
        var clock = Stopwatch.StartNew();
        frozen.Pause();
        TimeSpan detected;
        try
        {
            await Poll.UntilAsync(
                async () => await table.NewestRowAsync(frozen.SiloPort) is { Status: MembershipTable.Dead } row && row.Address == before.Value.Address
                    ? null
                    : $"row {await table.NewestRowAsync(frozen.SiloPort)}",
                DetectionBound,
                $"silo 1 ({before.Value.Address}) declared Dead after SIGSTOP");
            detected = clock.Elapsed;

            // The survivors serve again once the frozen silo is out.
            await Poll.UntilAsync(
                () => Task.FromResult(recorder.LongestGap(pausedAt + detected, recorder.Now) < recorder.Now - (pausedAt + detected) ? null : "no allocation since"),
                RequestDeadline,
                "an allocation acknowledged after the death declaration");
        }
        finally
        {
            frozen.Resume();
        }

        var stall = recorder.LongestGap(pausedAt, recorder.Now);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        foreach (var (silo, index) in survivors.Select((s, i) => (s, i == 0 ? 0 : 2)))
        {
            var row = await table.NewestRowAsync(silo.SiloPort);
            Assert.True(row is { Status: MembershipTable.Active }, $"expected healthy silo {index} still Active under load, saw {row}");
        }

        // Resumed, it reads that it was declared dead and stops itself (a supervisor restarts it).
        var exitCode = await frozen.WaitForExitAsync(SelfStopBound);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"declared dead {detected.TotalSeconds:0.00} s after SIGSTOP; longest time without a successful allocation through the survivors {stall.TotalSeconds:0.00} s; client retries {client.Retries}; resumed silo exited with {exitCode}"));
    }

    private static async Task RunWorkerAsync(RetryingIpamClient client, LoadRecorder recorder, int worker, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var handle = new Handle { Network = "detectnet", ContainerId = $"w{worker.ToString(CultureInfo.InvariantCulture)}-c{i.ToString(CultureInfo.InvariantCulture)}", Interface = "eth0" };
            var node = $"node-{worker.ToString(CultureInfo.InvariantCulture)}";
            recorder.Allocated(handle, await client.AllocateAsync(new AllocateRequest { Handle = handle, Node = node }, worker, RequestDeadline));
            await client.ReleaseAsync(new ReleaseRequest { Handle = handle, Node = node }, worker, RequestDeadline);
            recorder.Released(handle);
        }
    }
}
