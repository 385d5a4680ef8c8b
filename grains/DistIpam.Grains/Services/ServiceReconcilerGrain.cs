using DistIpam.Core.Pools;
using DistIpam.Grains.Pools;
using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Services;

/// <summary>
/// One pass of repair over the service grains; see <see cref="IServiceReconcilerGrain"/>. Not
/// reentrant, so passes never overlap; every part is tried and a failure is reported, not fatal.
/// </summary>
public sealed partial class ServiceReconcilerGrain(ILogger<ServiceReconcilerGrain> logger) : Grain, IServiceReconcilerGrain
{
    /// <inheritdoc />
    public async Task<ServiceReconcileReport> ReconcileAsync()
    {
        var failures = new List<string>();
        var freedIps = new List<HeldValue>();
        IReadOnlyList<PoolDefinition> pools = [];
        try
        {
            pools = await GrainFactory.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key).ListAsync();
        }
        catch (Exception e)
        {
            failures.Add($"pool catalog: {e.Message}");
        }

        foreach (var pool in pools.Where(p => p.Kind == (int)PoolKind.Service))
        {
            try
            {
                var freed = await GrainFactory.GetGrain<IClusterIpRangeGrain>(pool.Name).ReconcileAsync();
                freedIps.AddRange(freed.Select(f => f with { Value = $"{pool.Name}/{f.Value}" }));
                foreach (var f in freed)
                {
                    LogFreed(pool.Name, f.Value, f.Holder);
                }
            }
            catch (Exception e)
            {
                failures.Add($"service pool '{pool.Name}': {e.Message}");
            }
        }

        IReadOnlyList<HeldValue> freedPorts = [];
        try
        {
            freedPorts = await GrainFactory.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange).ReconcileAsync();
            foreach (var f in freedPorts)
            {
                LogFreed("node ports", f.Value, f.Holder);
            }
        }
        catch (Exception e)
        {
            failures.Add($"node port range: {e.Message}");
        }

        if (failures.Count > 0)
        {
            LogPartFailed(string.Join("; ", failures));
        }

        return new ServiceReconcileReport { FreedClusterIps = freedIps, FreedNodePorts = freedPorts, Failures = failures };
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Service reconciliation: freed {Value} of {Range}, which its holder {Holder} no longer holds")]
    private partial void LogFreed(string range, string value, string holder);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Service reconciliation: parts failed and are retried by the next pass: {Failures}")]
    private partial void LogPartFailed(string failures);
}
