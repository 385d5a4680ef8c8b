using DistIpam.Api.V1;
using DistIpam.Grains.Nodes;
using DistIpam.Grains.Services;
using DistIpam.Server.Services;

namespace DistIpam.Server.Reconciliation;

/// <summary>
/// The server's own repairs (rule 10, docs/architecture.md). Pods: finds and releases, without an operator, addresses recorded in a block that their handle does
/// not hold (an ADD whose record write failed or whose silo died, a rollback that met an outage),
/// and repairs block claims left pending by a write that met an outage.
/// An address is released only when two scans in a row saw it unrecorded, through the handle grain
/// (<see cref="ConsistencyChecker.RepairAsync"/>), so an ADD about to record it keeps it. Runs on
/// the oldest active silo only, so a cluster scans once per interval; it reads only the handles of
/// allocations it has not seen recorded before (<see cref="VerifiedLeases"/>), and every handle
/// every <see cref="ReconcileOptions.FullScanEvery"/>th scan. Services: one pass of
/// <see cref="IServiceReconcilerGrain"/> (ClusterIPs and NodePorts no service holds, changes not
/// yet in the feed) per interval.
/// </summary>
public sealed partial class Reconciler(
    ConsistencyChecker checker,
    IGrainFactory grains,
    ReconcileOptions options,
    IClusterMembershipService membership,
    ILocalSiloDetails silo,
    ILogger<Reconciler> logger) : BackgroundService
{
    private readonly VerifiedLeases _verified = new();
    private HashSet<string> _seenBefore = [];
    private long _scans;
    private HashSet<string> _strandedBefore = [];

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
                _strandedBefore = [];
                _verified.Forget();
                continue;
            }

            try
            {
                await ScanPodPoolsAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogScanFailed(e.Message);
            }

            try
            {
                await ReconcileServicesAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogScanFailed(e.Message);
            }
        }
    }

    private async Task ReconcileServicesAsync()
    {
        var report = await grains.GetGrain<IServiceReconcilerGrain>(IServiceReconcilerGrain.Key).ReconcileAsync();
        if (report.FreedClusterIps.Count + report.FreedNodePorts.Count + report.PublishedServices + report.Failures.Count > 0)
        {
            var failures = string.Join("; ", report.Failures);
            LogServicesReconciled(report.FreedClusterIps.Count, report.FreedNodePorts.Count, report.PublishedServices, failures);
        }
    }

    private async Task ScanPodPoolsAsync()
    {
        if (_scans++ % Math.Max(1, options.FullScanEvery) == 0)
        {
            _verified.Forget();
        }

        var report = await checker.CheckAsync(null, options.Grace, _verified);
        var seenNow = report.OrphanedAddresses.Select(Key).Concat(report.PendingClaims).ToHashSet(StringComparer.Ordinal);

        // A second observation (Calico's lesson): only what the previous scan saw too. Pending block
        // claims left by a write that met an outage are repaired the same way (from the block's own
        // record, and only when older than the pool's repair age).
        var confirmed = new ConsistencyReport();
        confirmed.OrphanedAddresses.AddRange(report.OrphanedAddresses.Where(o => _seenBefore.Contains(Key(o))));
        confirmed.PendingClaims.AddRange(report.PendingClaims.Where(_seenBefore.Contains));
        _seenBefore = seenNow;
        if (confirmed.OrphanedAddresses.Count == 0 && confirmed.PendingClaims.Count == 0)
        {
            await ReturnStrandedBlocksAsync();
            return;
        }

        var result = await checker.RepairAsync(confirmed);
        await ReturnStrandedBlocksAsync();
        LogRepaired(confirmed.OrphanedAddresses.Count, confirmed.PendingClaims.Count, result.AddressesReleased, result.ClaimsRepaired, result.Errors.Count);
    }

    /// <summary>Empty blocks claimed for a node that does not list them, seen twice: the node returns them.</summary>
    private async Task ReturnStrandedBlocksAsync()
    {
        var seenNow = (await checker.FindStrandedClaimsAsync()).ToHashSet(StringComparer.Ordinal);
        _strandedBefore.IntersectWith(seenNow);
        var confirmed = _strandedBefore;
        _strandedBefore = seenNow;
        foreach (var key in confirmed)
        {
            var parts = key.Split('|');
            try
            {
                if (await grains.GetGrain<INodeGrain>(parts[2]).ReturnStrandedBlockAsync(parts[0], parts[1]))
                {
                    LogStrandedReturned(parts[0], parts[1], parts[2]);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One block's outage does not hold up the others; it is still stranded next scan.
                LogScanFailed($"returning stranded block {parts[1]} of pool {parts[0]} to node {parts[2]}: {e.Message}");
            }
        }
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

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Reconciliation: {Candidates} unrecorded address(es) and {Claims} pending claim(s) seen twice; {Released} address(es) released, {Repaired} claim(s) repaired, {Errors} error(s)")]
    private partial void LogRepaired(int candidates, int claims, long released, long repaired, int errors);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Information, Message = "Reconciliation of services: {ClusterIps} ClusterIP(s) and {NodePorts} NodePort(s) freed, {Published} service change(s) published; failures: {Failures}")]
    private partial void LogServicesReconciled(int clusterIps, int nodePorts, int published, string failures);

    [LoggerMessage(EventId = 9013, Level = LogLevel.Information, Message = "Reconciliation: block {Block} of pool {Pool}, claimed for node {Node} but not listed by it, returned")]
    private partial void LogStrandedReturned(string pool, string block, string node);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "Reconciliation scan failed; the next one retries: {Reason}")]
    private partial void LogScanFailed(string reason);
}
