using DistIpam.Api.V1;
using DistIpam.Server.Services;

namespace DistIpam.Server.Reconciliation;

/// <summary>
/// Finds and releases, without an operator, addresses recorded in a block that their handle does
/// not hold (an ADD whose record write failed or whose silo died, a rollback that met an outage).
/// An address is released only when two scans in a row saw it unrecorded, through the handle grain
/// (<see cref="ConsistencyChecker.RepairAsync"/>), so an ADD about to record it keeps it. Runs on
/// the oldest active silo only, so a cluster scans once per interval.
/// </summary>
public sealed partial class OrphanReconciler(
    ConsistencyChecker checker,
    ReconcileOptions options,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    ILogger<OrphanReconciler> logger) : BackgroundService
{
    private HashSet<string> _seenBefore = [];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!IsScanningSilo())
            {
                _seenBefore = [];
                continue;
            }

            try
            {
                await ScanAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogScanFailed(e.Message);
            }
        }
    }

    private async Task ScanAsync()
    {
        var report = await checker.CheckAsync(null, options.Grace);
        var seenNow = report.OrphanedAddresses.Select(Key).ToHashSet(StringComparer.Ordinal);

        // A second observation (Calico's lesson): only what the previous scan saw too.
        var confirmed = new ConsistencyReport();
        confirmed.OrphanedAddresses.AddRange(report.OrphanedAddresses.Where(o => _seenBefore.Contains(Key(o))));
        _seenBefore = seenNow;
        if (confirmed.OrphanedAddresses.Count == 0)
        {
            return;
        }

        var result = await checker.RepairAsync(confirmed);
        LogRepaired(confirmed.OrphanedAddresses.Count, result.AddressesReleased, result.Errors.Count);
    }

    private bool IsScanningSilo()
    {
        var active = membership.CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .ToList();
        return active.Count == 0 || active.OrderBy(a => a.Generation).ThenBy(a => a.ToString(), StringComparer.Ordinal).First().Equals(silo.SiloAddress);
    }

    private static string Key(LeakedAddress orphan) => $"{orphan.Pool}|{orphan.Block}|{orphan.Address}|{orphan.Sequence}|{orphan.Handle}";

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Reconciliation: {Candidates} unrecorded address(es) seen twice, {Released} released, {Errors} error(s)")]
    private partial void LogRepaired(int candidates, long released, int errors);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "Reconciliation scan failed; the next one retries: {Reason}")]
    private partial void LogScanFailed(string reason);
}
