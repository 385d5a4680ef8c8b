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
    // How many services are asked at once to publish a pending change.
    private const int PublishParallelism = 16;

    /// <inheritdoc />
    public async Task<ServiceReconcileReport> ReconcileAsync()
    {
        var failures = new List<string>();
        var published = await PublishPendingAsync(failures);
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

        return new ServiceReconcileReport { FreedClusterIps = freedIps, FreedNodePorts = freedPorts, PublishedServices = published, Failures = failures };
    }

    // Every service in the index publishes a durable change the feed lacks (its silo died between
    // its state write and its append, and nothing has called it since). Deleted services stay in
    // the index until their deletion is published, so they are covered too.
    private async Task<int> PublishPendingAsync(List<string> failures)
    {
        IReadOnlyList<string> keys;
        try
        {
            keys = await GrainFactory.GetGrain<IServiceIndexGrain>(IServiceIndexGrain.Key).ListAsync("");
        }
        catch (Exception e)
        {
            failures.Add($"service index: {e.Message}");
            return 0;
        }

        var published = 0;
        var failed = 0;
        string? example = null;
        foreach (var chunk in keys.Chunk(PublishParallelism))
        {
            await Task.WhenAll(chunk.Select(async key =>
            {
                try
                {
                    if (await GrainFactory.GetGrain<IServiceGrain>(key).PublishPendingAsync())
                    {
                        published++;
                        LogPublished(key);
                    }
                }
                catch (Exception e)
                {
                    failed++;
                    example ??= $"{key}: {e.Message}";
                }
            }));
        }

        if (failed > 0)
        {
            failures.Add($"{failed} service(s) could not publish a pending change (e.g. {example})");
        }

        return published;
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Service reconciliation: freed {Value} of {Range}, which its holder {Holder} no longer holds")]
    private partial void LogFreed(string range, string value, string holder);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Service reconciliation: published the durable last change of {Service}, which was not in the feed")]
    private partial void LogPublished(string service);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Service reconciliation: parts failed and are retried by the next pass: {Failures}")]
    private partial void LogPartFailed(string failures);
}
