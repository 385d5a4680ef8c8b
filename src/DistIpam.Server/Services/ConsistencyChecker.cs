using DistIpam.Api.V1;
using PoolKind = DistIpam.Core.Pools.PoolKind;
using DistIpam.Grains;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Nodes;
using DistIpam.Grains.Pools;
using DistIpam.Server.Reconciliation;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Services;

/// <summary>
/// Cross-checks blocks, handles and claims, and repairs what a report names. An address recorded
/// in a block is an orphan only when its handle does not list it and it is older than
/// <see cref="OrphanGrace"/>: younger ones may belong to an ADD still writing its handle.
/// Repairs of orphans go through the handle grain (<see cref="IHandleGrain.ReleaseUnrecordedAsync"/>),
/// which is serialized with the handle's ADDs and fences them, and release by address and
/// sequence, so neither an ADD about to record an address nor anything re-allocated since the
/// report is touched.
/// </summary>
public sealed class ConsistencyChecker(IGrainFactory grains, PoolDirectory directory, TimeProvider time, IOptions<IpamGrainOptions> grainOptions, History.HistoryRecorder history, StoredHandleIds storedHandles)
{
    /// <summary>Minimum age of an allocation before it may be reported as orphaned.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromMinutes(2);

    /// <summary>Builds the report for one pool or all pod pools.</summary>
    public Task<ConsistencyReport> CheckAsync(string? poolFilter) => CheckAsync(poolFilter, OrphanGrace, verified: null);

    /// <summary>Builds the full report, counting allocations older than <paramref name="orphanGrace"/> as possible orphans.</summary>
    public Task<ConsistencyReport> CheckAsync(string? poolFilter, TimeSpan orphanGrace) => CheckAsync(poolFilter, orphanGrace, verified: null);

    /// <summary>
    /// Builds the report, counting allocations older than <paramref name="orphanGrace"/> as possible
    /// orphans. With <paramref name="verified"/> (the reconciler's scans), a handle is read only when
    /// one of its old-enough allocations is not verified yet, and handles whose records name addresses
    /// the blocks lack are not looked for; the set is updated with what this scan saw recorded.
    /// </summary>
    internal async Task<ConsistencyReport> CheckAsync(string? poolFilter, TimeSpan orphanGrace, VerifiedLeases? verified)
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

                // A return an outage interrupted (the claim durably returning, its block perhaps
                // already retired) is finished by the same repair as a pending claim.
                if (claim.Returning)
                {
                    report.PendingClaims.Add($"{BlockKey.Of(pool.Name, claim.Block)} (node '{claim.Node}', returning)");
                }

                var block = grains.GetGrain<IBlockGrain>(BlockKey.Of(pool.Name, claim.Block));
                var usage = await block.GetUsageAsync();
                if (usage.Owner != claim.Node && !(claim.Returning && usage.Owner is null))
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
                    if (lease.Pod.Node is { Length: > 0 } podNode && podNode != claim.Node)
                    {
                        report.BorrowedAddresses.Add(new BorrowedAddress
                        {
                            Pool = pool.Name, Block = claim.Block, Address = lease.Address, BlockOwner = claim.Node,
                            Node = podNode, Handle = lease.HandleId, Sequence = lease.Sequence,
                        });
                    }

                    leasesByHandle.TryAdd(lease.HandleId, []);
                    leasesByHandle[lease.HandleId].Add(lease);
                }
            }
        }

        var cutoff = time.GetUtcNow().Subtract(orphanGrace).ToUnixTimeMilliseconds();
        foreach (var (handleId, leases) in leasesByHandle)
        {
            if (verified is not null && !verified.NeedsRead(leases, cutoff))
            {
                verified.Keep(leases.Where(l => l.AllocatedAtUnixMs <= cutoff));
                continue;
            }

            var record = await grains.GetGrain<IHandleGrain>(handleId).GetAsync();
            verified?.Keep(leases.Where(l => l.AllocatedAtUnixMs <= cutoff && Lists(record, l)));
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

            var missing = verified is not null ? null : record?.Leases.Where(l => scannedBlocks.Contains(BlockKey.Of(l.Pool, l.Block)) && !leases.Any(b => Same(b, l)));
            if (missing?.Any() == true)
            {
                report.HandlesWithoutAddresses.Add(handleId);
            }
        }

        if (verified is null)
        {
            await FindUnheldHandlesAsync(report, leasesByHandle, poolFilter, cutoff);
        }

        verified?.EndScan();
        return report;
    }

    /// <summary>
    /// Handles no block holds any address of (so the scan above never met them) whose records still
    /// name old-enough addresses: their pods' addresses may be handed to others. Records younger than
    /// the cutoff may be ADDs that allocated after the blocks were scanned.
    /// </summary>
    private async Task FindUnheldHandlesAsync(ConsistencyReport report, Dictionary<string, List<AddressLease>> seen, string? poolFilter, long cutoff)
    {
        foreach (var handleId in (await storedHandles.ListAsync()).Where(h => !seen.ContainsKey(h)))
        {
            var record = await grains.GetGrain<IHandleGrain>(handleId).GetAsync();
            if (record is { Leases.Count: > 0 }
                && record.Leases.All(l => l.AllocatedAtUnixMs <= cutoff)
                && (poolFilter is null || record.Leases.Any(l => l.Pool == poolFilter)))
            {
                report.HandlesWithoutAddresses.Add(handleId);
            }
        }
    }

    /// <summary>
    /// Confirmed claims of empty blocks that their node does not list (the node's own write of the
    /// claim failed, or a pending claim was repaired for it): no drain or empty-block timer would
    /// ever return them. Keys are <c>pool|block|node</c>.
    /// </summary>
    public async Task<IReadOnlyList<string>> FindStrandedClaimsAsync()
    {
        var stranded = new List<string>();
        var listed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var pool in (await directory.AllAsync()).Values.Where(p => p.Kind == (int)PoolKind.Pod))
        {
            foreach (var claim in (await grains.GetGrain<IPoolGrain>(pool.Name).ListClaimsAsync()).Where(c => c.Confirmed && !c.Returning))
            {
                if (!listed.TryGetValue(claim.Node, out var known))
                {
                    var blocks = await grains.GetGrain<INodeGrain>(claim.Node).ListBlocksAsync();
                    listed[claim.Node] = known = [.. blocks.SelectMany(b => b.Owned.Concat(b.Borrowed).Select(x => BlockKey.Of(b.Pool, x)))];
                }

                if (!known.Contains(BlockKey.Of(pool.Name, claim.Block))
                    && (await grains.GetGrain<IBlockGrain>(BlockKey.Of(pool.Name, claim.Block)).GetUsageAsync()).Used == 0)
                {
                    stranded.Add($"{BlockKey.Of(pool.Name, claim.Block)}|{claim.Node}");
                }
            }
        }

        return stranded;
    }

    /// <summary>Releases what the report names and repairs its pending claims; <paramref name="actor"/> goes into the IP history.</summary>
    public async Task<ReleaseFromReportResponse> RepairAsync(ConsistencyReport report, string actor = "reconciler")
    {
        ArgumentNullException.ThrowIfNull(report);
        var response = new ReleaseFromReportResponse();
        foreach (var orphans in report.OrphanedAddresses.GroupBy(o => o.Handle, StringComparer.Ordinal))
        {
            try
            {
                // The handle re-checks its own record and fences its other activations before it
                // releases: an ADD that recorded (or is about to record) an address keeps it.
                var released = await grains.GetGrain<IHandleGrain>(orphans.Key).ReleaseUnrecordedAsync([.. orphans.Select(LeaseOf)]);
                response.AddressesReleased += released.Count;
                history.Released(orphans.Key, released, actor, "leaked: no handle record holds it");
            }
            catch (Exception e)
            {
                response.Errors.Add($"handle '{orphans.Key}' ({string.Join(", ", orphans.Select(o => $"{o.Address} in {o.Pool}/{o.Block}"))}): {e.Message}");
            }
        }

        foreach (var handle in report.HandlesWithoutAddresses)
        {
            try
            {
                // Frees whatever the handle still holds (by sequence) and drops its stale record, if
                // the handle finds its record stale now, in the same turn: a report is old by the
                // time it is repaired, and the handle may have been released and added again since.
                var released = await grains.GetGrain<IHandleGrain>(handle).ReleaseIfStaleAsync();
                if (released is not null)
                {
                    history.Released(handle, released, actor, "the handle's record names an address its block does not hold");
                }
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
                // Not age zero: a claim younger than the repair age may be one in flight right now.
                response.ClaimsRepaired += await grains.GetGrain<IPoolGrain>(pool).RepairPendingClaimsAsync(grainOptions.Value.PendingClaimRepairAge);
            }
            catch (Exception e)
            {
                response.Errors.Add($"pool '{pool}': {e.Message}");
            }
        }

        return response;
    }

    private static AddressLease LeaseOf(LeakedAddress orphan) => new()
    {
        Pool = orphan.Pool,
        Block = orphan.Block,
        Address = orphan.Address,
        Sequence = orphan.Sequence,
        HandleId = orphan.Handle,
    };

    private static bool Lists(HandleRecord? record, AddressLease lease) =>
        record?.Leases.Any(l => Same(l, lease)) == true;

    private static bool Same(AddressLease a, AddressLease b) =>
        a.Pool == b.Pool && a.Address == b.Address && a.Sequence == b.Sequence;
}
