using DistIpam.Api.V1;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Nodes;
using DistIpam.Server.Services;

namespace DistIpam.Server.Gc;

/// <summary>
/// The CNI GC verb (<c>Ipam.GarbageCollect</c>): every handle of the network held on the node that
/// the runtime's valid list leaves out is, with <see cref="GcOptions.DeferCniGc"/> (the default),
/// recorded in the node's <see cref="ICniGcLedgerGrain"/> for the GC controller, which releases it
/// only after the grace and a second observation, re-checked just before (a runtime's list computed
/// before an ADD finished must not cost that pod its address; a later CNI GC call that lists it as
/// valid forgets it); without that option it is released at once, as the CNI spec words it.
/// </summary>
public sealed partial class CniGarbageCollector(
    IGrainFactory grains,
    GcOptions options,
    History.HistoryRecorder history,
    ILogger<CniGarbageCollector> logger)
{
    /// <summary>Runs one CNI GC call (validated by the caller).</summary>
    public async Task<GarbageCollectResponse> CollectAsync(GarbageCollectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var valid = request.Valid.Select(ProtoMapper.KeyOf).ToHashSet(StringComparer.Ordinal);
        var prefix = HandleKey.NetworkPrefix(request.Network);
        var leases = await grains.GetGrain<INodeGrain>(request.Node).ListAllocationsAsync();
        var stale = leases
            .Where(l => l.HandleId.StartsWith(prefix, StringComparison.Ordinal) && !valid.Contains(l.HandleId))
            .GroupBy(l => l.HandleId, StringComparer.Ordinal)
            .ToList();

        var response = new GarbageCollectResponse();
        if (options.DeferCniGc)
        {
            var observed = await grains.GetGrain<ICniGcLedgerGrain>(request.Node).ObserveAsync(prefix, [.. stale.Select(g => new CniGcAbsence { Handle = g.Key, Leases = [.. g.Select(LeaseKey)] })]);
            foreach (var absence in observed)
            {
                response.Deferred.Add(ProtoMapper.HandleOf(absence.Handle));
                LogDeferred(absence.Handle, request.Node, absence.Observations);
            }

            return response;
        }

        foreach (var handle in stale.Select(g => g.Key))
        {
            try
            {
                var released = await grains.GetGrain<IHandleGrain>(handle).ReleaseAsync(request.Node);
                history.Released(handle, released, "Ipam.GarbageCollect", "CNI GC: not in the runtime's valid list");
                response.Released.Add(ProtoMapper.HandleOf(handle));
            }
            catch (Exception e)
            {
                // Keep going: one stuck handle must not keep the rest from being collected.
                response.Errors.Add($"handle '{handle}': {e.Message}");
                LogGcFailed(e, handle);
            }
        }

        return response;
    }

    /// <summary>The identity of one held address in a ledger entry: the same address under the same sequence.</summary>
    public static string LeaseKey(AddressLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return $"{lease.Pool}|{lease.Address}|{lease.Sequence}";
    }

    [LoggerMessage(EventId = 14401, Level = LogLevel.Warning, Message = "GC could not release handle {Handle}")]
    private partial void LogGcFailed(Exception exception, string handle);

    [LoggerMessage(EventId = 14400, Level = LogLevel.Information, Message = "CNI GC: handle {Handle} on node {Node} is not in the runtime's valid list ({Observations} call(s) in a row); the GC controller releases it after the grace and a second observation")]
    private partial void LogDeferred(string handle, string node, int observations);
}
