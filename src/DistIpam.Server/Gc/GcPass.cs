using DistIpam.Api.V1;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Nodes;
using DistIpam.Server.Nodes;
using DistIpam.Server.Services;

namespace DistIpam.Server.Gc;

/// <summary>
/// One GC pass: observe candidates, then act on those due, each re-checked immediately before. It
/// acts only through the paths everything else uses: a handle is released by its grain, by
/// sequence, whole, after the grain's own re-check (<see cref="IHandleGrain.ReleaseIfStaleAsync"/>); a node is drained by
/// <see cref="NodeDrainer"/>; a handle a CNI GC left out by <see cref="CniAbsenceGc"/>; a ClusterIP or
/// NodePort by its range grain (<see cref="ServiceValueGc"/>). Addresses no handle records are the
/// reconciler's (<see cref="Reconciliation.Reconciler"/>): the pass counts them, and does not act.
/// </summary>
public sealed partial class GcPass(
    ConsistencyChecker checker,
    NodeDirectory nodes,
    NodeDrainer drainer,
    IGrainFactory grains,
    GcOptions options,
    NodeLeaseOptions leases,
    ServiceValueGc serviceValues,
    CniAbsenceGc cniAbsences,
    History.HistoryRecorder history,
    TimeProvider time,
    ILogger<GcPass> logger)
{
    /// <summary>Runs a pass over <paramref name="tracked"/> (the previous pass's candidates); returns the new set and what it did.</summary>
    public async Task<GcPassResult> RunAsync(IReadOnlyDictionary<string, GcCandidateState> tracked)
    {
        ArgumentNullException.ThrowIfNull(tracked);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var report = await checker.CheckAsync(null, options.Grace, verified: null);
        var seen = new List<GcCandidateState>();
        seen.AddRange(report.HandlesWithoutAddresses.Select(h => new GcCandidateState(GcCandidateState.HandleKind, h, now, 1, 0)));
        seen.AddRange((await nodes.ListAsync())
            .Where(n => n.LeaseState == LeaseState.Expired && n.Allocations > 0)
            .Select(n => new GcCandidateState(GcCandidateState.NodeKind, n.Name, now, 1, n.LastSeenUnixMs)));
        seen.AddRange(await serviceValues.ObserveAsync(now));
        seen.AddRange(await cniAbsences.ObserveAsync());

        // A second observation: a candidate keeps its first-seen time only while every pass sees it.
        var next = new Dictionary<string, GcCandidateState>(StringComparer.Ordinal);
        foreach (var candidate in seen)
        {
            next[candidate.Id] = tracked.TryGetValue(candidate.Id, out var before)
                ? before with { Observations = before.Observations + 1 }
                : candidate;
            if (!tracked.ContainsKey(candidate.Id))
            {
                LogCandidate(candidate.Kind, candidate.Key, options.Grace);
            }
        }

        var result = new GcPassResult { Candidates = next, UnrecordedAddresses = report.OrphanedAddresses.Count };
        foreach (var candidate in next.Values.Where(c => c.IsDue(now, options.Grace)).ToList())
        {
            try
            {
                await ActAsync(candidate, result);
                if (result.Settled.Contains(candidate.Id))
                {
                    next.Remove(candidate.Id);
                }
            }
            catch (Exception e)
            {
                result.Errors.Add($"{candidate.Kind} {candidate.Key}: {e.Message}");
                LogActFailed(candidate.Kind, candidate.Key, e.Message);
            }
        }

        return result;
    }

    private async Task ActAsync(GcCandidateState candidate, GcPassResult result)
    {
        if (candidate.Kind is GcCandidateState.CniAbsentKind or GcCandidateState.ClusterIpKind or GcCandidateState.NodePortKind)
        {
            var acted = candidate.Kind == GcCandidateState.CniAbsentKind
                ? await cniAbsences.ActAsync(candidate, result)
                : await serviceValues.ActAsync(candidate, result);
            if (!acted)
            {
                Spare(candidate, result);
                return;
            }

            result.Settled.Add(candidate.Id);
            LogReleased(candidate.Kind, candidate.Key);
            return;
        }

        if (candidate.Kind == GcCandidateState.HandleKind)
        {
            // The handle re-checks its record against its blocks and releases in the same turn.
            var released = await grains.GetGrain<IHandleGrain>(candidate.Key).ReleaseIfStaleAsync();
            if (released is null)
            {
                Spare(candidate, result);
                return;
            }

            history.Released(candidate.Key, released, "gc", "the handle's record names an address its block does not hold");
            result.HandlesReleased++;
            result.AddressesReleased += released.Count;
            result.Settled.Add(candidate.Id);
            LogHandleReleased(candidate.Key);
            return;
        }

        if (!options.AutoReleaseExpiredNodes)
        {
            return;
        }

        var expiry = candidate.LastSeenUnixMs + (long)leases.LeaseDuration.TotalMilliseconds;
        var now = await nodes.GetAsync(candidate.Key);
        var allocations = await grains.GetGrain<INodeGrain>(candidate.Key).ListAllocationsAsync();
        if (now is null || now.LeaseState != LeaseState.Expired || now.LastSeenUnixMs != candidate.LastSeenUnixMs || allocations.Any(a => a.AllocatedAtUnixMs > expiry))
        {
            // A heartbeat since, or an ADD after the lease expired: the node is not dead.
            Spare(candidate, result);
            return;
        }

        // Bounded by the expiry: an ADD landing after the re-check above keeps its addresses, and
        // then the node is not marked drained (it lives; the next passes see it afresh).
        var drained = await drainer.DrainAsync(candidate.Key, $"gc: lease expired at {DateTimeOffset.FromUnixTimeMilliseconds(expiry):O}", expiry);
        if (drained.AddressesSpared == 0)
        {
            await grains.GetGrain<INodeLeaseGrain>(candidate.Key).MarkDrainedAsync("gc: lease expired");
        }

        result.NodesDrained++;
        result.AddressesReleased += drained.AddressesReleased;
        result.Settled.Add(candidate.Id);
        LogNodeDrained(candidate.Key, drained.AddressesReleased);
    }

    /// <summary>A spared candidate is dropped too: it is live now, and must be observed afresh (a new grace) to be acted on.</summary>
    private void Spare(GcCandidateState candidate, GcPassResult result)
    {
        result.Spared++;
        result.Settled.Add(candidate.Id);
        LogSpared(candidate.Kind, candidate.Key);
    }

    [LoggerMessage(EventId = 14200, Level = LogLevel.Information, Message = "GC candidate {Kind} {Key} observed; acted on after {Grace} and a second observation")]
    private partial void LogCandidate(string kind, string key, TimeSpan grace);

    [LoggerMessage(EventId = 14201, Level = LogLevel.Warning, Message = "GC released handle {Handle}: its record named an address its block does not hold")]
    private partial void LogHandleReleased(string handle);

    [LoggerMessage(EventId = 14205, Level = LogLevel.Warning, Message = "GC released {Kind} {Key} after the grace, a second observation and a re-check")]
    private partial void LogReleased(string kind, string key);

    [LoggerMessage(EventId = 14202, Level = LogLevel.Warning, Message = "GC drained node {Node} (lease expired): {Addresses} address(es) released")]
    private partial void LogNodeDrained(string node, long addresses);

    [LoggerMessage(EventId = 14203, Level = LogLevel.Information, Message = "GC spared {Kind} {Key}: the re-check before acting found it live")]
    private partial void LogSpared(string kind, string key);

    [LoggerMessage(EventId = 14204, Level = LogLevel.Warning, Message = "GC could not act on {Kind} {Key}; the next pass retries: {Reason}")]
    private partial void LogActFailed(string kind, string key, string reason);
}
