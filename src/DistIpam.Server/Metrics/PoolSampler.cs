using System.Collections.Immutable;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Pools;
using DistIpam.Grains.Services;
using DistIpam.Server.Gc;
using DistIpam.Server.Services;
using PoolKind = DistIpam.Core.Pools.PoolKind;

namespace DistIpam.Server.Metrics;

/// <summary>
/// Samples every pool (claims, block usage, borrowed allocations), node and service range every
/// <see cref="MetricsOptions.SampleInterval"/> on the scanning silo, for the gauges and the
/// forecast. Scrapes never scan: they read the last snapshot, swapped by reference.
/// </summary>
public sealed partial class PoolSampler(IGrainFactory grains, PoolDirectory pools, MetricsOptions options, ScanningSilo scanning, Hosting.ReadinessState readiness, History.HistoryWriter historyWriter, History.HistoryRecorder history, TimeProvider time, ILogger<PoolSampler> logger) : BackgroundService
{
    private SampleSet _current = SampleSet.Empty;

    /// <summary>The last samples.</summary>
    public SampleSet Current => Volatile.Read(ref _current);

    /// <summary>Takes one sample now (also what the timer does).</summary>
    public async Task<SampleSet> SampleAsync()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var backfillFrom = historyWriter.BackfillFromUnixMs;
        var samples = new List<PoolSample>();
        var nodes = new List<NodeSample>();
        foreach (var definition in (await pools.AllAsync()).Values.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var spec = PoolDefinitionMapper.ToSpec(definition);
            var sample = new PoolSample
            {
                Pool = definition.Name,
                IsPodPool = spec.Kind == PoolKind.Pod,
                AtUnixMs = now,
                Size = (double)spec.Cidr.Size,
                Reserved = spec.ReservedRanges.Sum(r => (double)(r.End - r.Start) + 1),
                StrictAffinity = spec.StrictAffinity,
            };
            samples.Add(spec.Kind == PoolKind.Pod
                ? await SamplePodPoolAsync(sample, nodes, backfillFrom)
                : sample with { InUse = (await grains.GetGrain<IClusterIpRangeGrain>(definition.Name).ListAsync()).Count });
        }

        if (backfillFrom != 0)
        {
            historyWriter.BackfillDone(backfillFrom);
        }

        var nodePorts = (await grains.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange).ListAsync()).Count;
        // A silo that does not sample (or has just taken over) starts from the cluster's window.
        var previous = Current.History.IsEmpty ? await SharedHistory.GetAsync() : Current.History;
        var window = now - (long)options.ForecastWindow.TotalMilliseconds;
        var history = samples.ToImmutableDictionary(
            s => s.Pool,
            s => previous.GetValueOrDefault(s.Pool, []).Where(p => p.AtUnixMs >= window).ToImmutableList().Add(s),
            StringComparer.Ordinal);
        var next = new SampleSet([.. samples], [.. nodes], nodePorts, history);
        Volatile.Write(ref _current, next);
        if (scanning.IsThisSilo())
        {
            await PublishAsync(history);
        }

        return next;
    }

    private IPoolSampleHistoryGrain SharedHistory => grains.GetGrain<IPoolSampleHistoryGrain>(IPoolSampleHistoryGrain.Key);

    private async Task PublishAsync(ImmutableDictionary<string, ImmutableList<PoolSample>> history)
    {
        try
        {
            await SharedHistory.PublishAsync(history);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The gauges stand; the other silos' forecasts catch up at the next round.
            LogPublishFailed(e.Message);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SampleInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Not before start-up finished: a pool list read while the bootstrap pools are being
            // created would be cached (PoolDirectory) without them and fail the first Allocates.
            if (!readiness.IsReady)
            {
                continue;
            }

            // Another silo publishes the gauges; this one samples only to rebuild history it may have lost.
            var scans = scanning.IsThisSilo();
            if (!scans && historyWriter.BackfillFromUnixMs == 0)
            {
                Volatile.Write(ref _current, SampleSet.Empty);
                continue;
            }

            try
            {
                await SampleAsync();
                if (!scans)
                {
                    Volatile.Write(ref _current, SampleSet.Empty);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSampleFailed(e.Message);
            }
        }
    }

    private async Task<PoolSample> SamplePodPoolAsync(PoolSample sample, List<NodeSample> nodes, long backfillFrom)
    {
        long inUse = 0, cooling = 0, borrowed = 0, stranded = 0;
        var claims = await grains.GetGrain<IPoolGrain>(sample.Pool).ListClaimsAsync();
        var perNode = new Dictionary<string, (long Blocks, long Allocations)>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            var block = grains.GetGrain<IBlockGrain>(BlockKey.Of(sample.Pool, claim.Block));
            var usage = await block.GetUsageAsync();
            inUse += usage.Used;
            cooling += usage.Cooling;
            stranded += Math.Max(0, usage.Capacity - usage.Used - usage.Cooling);
            if (usage.Used > 0)
            {
                var leases = await block.ListAllocationsAsync();
                borrowed += leases.Count(l => l.Pod.Node is { } node && node != claim.Node);
                if (backfillFrom != 0)
                {
                    history.Backfill(leases, backfillFrom);
                }
            }

            var current = perNode.GetValueOrDefault(claim.Node);
            perNode[claim.Node] = (current.Blocks + 1, current.Allocations + usage.Used);
        }

        nodes.AddRange(perNode.Select(n => new NodeSample(n.Key, sample.Pool, n.Value.Blocks, n.Value.Allocations)));
        return sample with { InUse = inUse, Cooling = cooling, Borrowed = borrowed, BlocksClaimed = claims.Count, Stranded = stranded };
    }

    [LoggerMessage(EventId = 14301, Level = LogLevel.Warning, Message = "Publishing the forecast window to the cluster failed; the next round retries: {Reason}")]
    private partial void LogPublishFailed(string reason);

    [LoggerMessage(EventId = 14300, Level = LogLevel.Warning, Message = "Pool metrics sample failed; the next one retries: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
