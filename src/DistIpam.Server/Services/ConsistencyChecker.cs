using DistIpam.Api.V1;
using PoolKind = DistIpam.Core.Pools.PoolKind;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Pools;

namespace DistIpam.Server.Services;

/// <summary>
/// Cross-checks blocks, handles and claims, and repairs what a report names. An address recorded
/// in a block is an orphan only when its handle does not list it and it is older than
/// <see cref="OrphanGrace"/>: younger ones may belong to an ADD still writing its handle.
/// Repairs release by address and sequence, so nothing re-allocated since the report is touched.
/// </summary>
public sealed class ConsistencyChecker(IGrainFactory grains, PoolDirectory directory, TimeProvider time)
{
    /// <summary>Minimum age of an allocation before it may be reported as orphaned.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromMinutes(2);

    /// <summary>Builds the report for one pool or all pod pools.</summary>
    public async Task<ConsistencyReport> CheckAsync(string? poolFilter)
    {
        var report = new ConsistencyReport();
        var leasesByHandle = new Dictionary<string, List<AddressLease>>(StringComparer.Ordinal);
        var seenAddresses = new Dictionary<string, AddressLease>(StringComparer.Ordinal);
        var scannedBlocks = new HashSet<string>(StringComparer.Ordinal);
        var pools = (await directory.AllAsync()).Values
            .Where(p => p.Kind == (int)PoolKind.Pod && (poolFilter is null || p.Name == poolFilter));
        foreach (var pool in pools)
        {
            foreach (var claim in await grains.GetGrain<IPoolGrain>(pool.Name).ListClaimsAsync())
            {
                if (!claim.Confirmed)
                {
                    report.PendingClaims.Add($"{BlockKey.Of(pool.Name, claim.Block)} (node '{claim.Node}')");
                    continue;
                }

                var block = grains.GetGrain<IBlockGrain>(BlockKey.Of(pool.Name, claim.Block));
                var usage = await block.GetUsageAsync();
                if (usage.Owner != claim.Node)
                {
                    report.Duplicates.Add($"block {claim.Block} of pool '{pool.Name}' is claimed by node '{claim.Node}' but owned by '{usage.Owner ?? "nobody"}'");
                }

                scannedBlocks.Add(BlockKey.Of(pool.Name, claim.Block));
                foreach (var lease in await block.ListAllocationsAsync())
                {
                    if (seenAddresses.TryGetValue(lease.Address, out var other))
                    {
                        report.Duplicates.Add($"address {lease.Address} is held by '{other.HandleId}' and '{lease.HandleId}'");
                    }

                    seenAddresses[lease.Address] = lease;
                    leasesByHandle.TryAdd(lease.HandleId, []);
                    leasesByHandle[lease.HandleId].Add(lease);
                }
            }
        }

        var cutoff = time.GetUtcNow().Subtract(OrphanGrace).ToUnixTimeMilliseconds();
        foreach (var (handleId, leases) in leasesByHandle)
        {
            var record = await grains.GetGrain<IHandleGrain>(handleId).GetAsync();
            foreach (var lease in leases.Where(l => l.AllocatedAtUnixMs <= cutoff && !Lists(record, l)))
            {
                report.OrphanedAddresses.Add(new LeakedAddress
                {
                    Pool = lease.Pool,
                    Block = lease.Block,
                    Address = lease.Address,
                    Sequence = lease.Sequence,
                    Handle = handleId,
                    Reason = record is null ? "the handle has no record" : "the handle's record does not list this address",
                });
            }

            var missing = record?.Leases.Where(l => scannedBlocks.Contains(BlockKey.Of(l.Pool, l.Block)) && !leases.Any(b => Same(b, l)));
            if (missing?.Any() == true)
            {
                report.HandlesWithoutAddresses.Add(handleId);
            }
        }

        return report;
    }

    /// <summary>Releases what the report names and repairs its pending claims.</summary>
    public async Task<ReleaseFromReportResponse> RepairAsync(ConsistencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var response = new ReleaseFromReportResponse();
        foreach (var orphan in report.OrphanedAddresses)
        {
            try
            {
                // Re-check: the handle may have written its record since the report.
                var record = await grains.GetGrain<IHandleGrain>(orphan.Handle).GetAsync();
                if (record?.Leases.Any(l => l.Address == orphan.Address && l.Sequence == orphan.Sequence) == true)
                {
                    continue;
                }

                if (await grains.GetGrain<IBlockGrain>(BlockKey.Of(orphan.Pool, orphan.Block)).ReleaseAsync(orphan.Address, orphan.Sequence))
                {
                    response.AddressesReleased++;
                }
            }
            catch (Exception e)
            {
                response.Errors.Add($"address {orphan.Address} in {orphan.Pool}/{orphan.Block}: {e.Message}");
            }
        }

        foreach (var handle in report.HandlesWithoutAddresses)
        {
            try
            {
                // Frees whatever the handle still holds (by sequence) and drops its stale record.
                await grains.GetGrain<IHandleGrain>(handle).ReleaseAsync(null);
            }
            catch (Exception e)
            {
                response.Errors.Add($"handle '{handle}': {e.Message}");
            }
        }

        foreach (var pool in report.PendingClaims.Select(c => BlockKey.Parse(c.Split(' ')[0]).Pool).Distinct(StringComparer.Ordinal))
        {
            try
            {
                response.ClaimsRepaired += await grains.GetGrain<IPoolGrain>(pool).RepairPendingClaimsAsync(TimeSpan.Zero);
            }
            catch (Exception e)
            {
                response.Errors.Add($"pool '{pool}': {e.Message}");
            }
        }

        return response;
    }

    private static bool Lists(HandleRecord? record, AddressLease lease) =>
        record?.Leases.Any(l => Same(l, lease)) == true;

    private static bool Same(AddressLease a, AddressLease b) =>
        a.Pool == b.Pool && a.Address == b.Address && a.Sequence == b.Sequence;
}
