using System.Diagnostics;
using DistIpam.Server.Hosting;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Fencing;

/// <summary>
/// Runs the <see cref="SiloFence"/>: a watchdog on a dedicated thread (so a busy thread pool is not
/// mistaken for a pause, and a pause is seen as soon as the process runs again) and, in cluster
/// mode, the lease renewal that re-reads the membership table.
/// </summary>
public sealed partial class SiloFenceService(
    SiloFence fence,
    SiloFenceOptions fenceOptions,
    IOptions<DistIpamOptions> options,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    ILogger<SiloFenceService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cluster = options.Value.IsClusterMode;
        if (!(fenceOptions.Enabled ?? cluster))
        {
            return;
        }

        fence.Enable(leased: cluster);
        var watchdog = new Thread(() => Watch(stoppingToken)) { IsBackground = true, Name = "distipam-fence-watchdog", Priority = ThreadPriority.AboveNormal };
        watchdog.Start();
        if (cluster)
        {
            await RenewLeaseAsync(stoppingToken);
        }
    }

    private void Watch(CancellationToken stoppingToken)
    {
        while (!stoppingToken.WaitHandle.WaitOne(fenceOptions.TickInterval))
        {
            fence.Tick();
        }
    }

    private async Task RenewLeaseAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(fenceOptions.LeaseRenewInterval);
        do
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(fenceOptions.LeaseDuration);
                await membership.Refresh(default, timeout.Token);
                var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
                if (status == SiloStatus.Dead)
                {
                    fence.MarkDead();
                }
                else if (status == SiloStatus.Active)
                {
                    fence.Renew(started);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The lease runs out by itself; say why once per failure.
                LogRenewFailed(e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "Could not confirm this silo's membership: {Reason}")]
    private partial void LogRenewFailed(string reason);
}
