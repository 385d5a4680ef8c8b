using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Grains.Services;
using PoolKind = DistIpam.Core.Pools.PoolKind;

namespace DistIpam.Server.Services;

/// <summary>
/// The ClusterIP and NodePort half of the consistency check: a value its range holds for a
/// service whose durable state does not hold it is leaked (the service was deleted, or a create or
/// update failed part-way and its give-back failed too); a value a service holds that its range
/// holds for someone else, or for nobody, is held twice or not at all and needs a person. Asking
/// a service (<see cref="IServiceGrain.HoldingsAsync"/>) is serialized with its changes, so a
/// create in progress answers after its state is durable and is never reported. Repairs go through
/// the range grain's <see cref="IClusterIpRangeGrain.ReleaseUnheldAsync"/>, which asks again.
/// </summary>
public sealed class ServiceValueChecker(IGrainFactory grains, PoolDirectory directory)
{
    /// <summary>Kind of a leaked ClusterIP.</summary>
    public const string ClusterIpKind = "cluster-ip";

    /// <summary>Kind of a leaked NodePort.</summary>
    public const string NodePortKind = "node-port";

    // How many services are asked at once.
    private const int Parallelism = 16;

    /// <summary>Adds the leaked and doubly held values of the service pools (only <paramref name="poolFilter"/>'s when set) to <paramref name="report"/>.</summary>
    public async Task AddFindingsAsync(ConsistencyReport report, string? poolFilter)
    {
        ArgumentNullException.ThrowIfNull(report);
        var held = new List<LeakedServiceValue>();
        var pools = (await directory.AllAsync()).Values
            .Where(p => p.Kind == (int)PoolKind.Service && (poolFilter is null || p.Name == poolFilter))
            .OrderBy(p => p.Name, StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            held.AddRange((await grains.GetGrain<IClusterIpRangeGrain>(pool.Name).ListAsync())
                .Select(v => new LeakedServiceValue { Kind = ClusterIpKind, Range = pool.Name, Value = v.Value, Holder = v.Holder }));
        }

        if (poolFilter is null)
        {
            held.AddRange((await grains.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange).ListAsync())
                .Select(v => new LeakedServiceValue { Kind = NodePortKind, Range = INodePortGrain.DefaultRange, Value = v.Value, Holder = v.Holder }));
        }

        var services = await grains.GetGrain<IServiceIndexGrain>(IServiceIndexGrain.Key).ListAsync("");
        var holdings = await AskAsync(held.Select(h => h.Holder).Concat(services).Distinct(StringComparer.Ordinal).ToList());
        foreach (var value in held)
        {
            // A service that could not answer keeps what it holds (unknown is not "not held").
            if (holdings.TryGetValue(value.Holder, out var of) && !Holds(of, value))
            {
                value.Reason = of.ClusterIps.Count + of.NodePorts.Count == 0
                    ? $"service '{value.Holder}' does not exist or holds nothing"
                    : $"service '{value.Holder}' does not hold it";
                report.LeakedServiceValues.Add(value);
            }
        }

        var rangeHolder = held.ToDictionary(h => $"{h.Kind}|{h.Value}", h => h, StringComparer.Ordinal);
        foreach (var (service, of) in holdings.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var claimed = of.ClusterIps.Select(ip => (Kind: ClusterIpKind, Value: ip))
                .Concat(of.NodePorts.Select(p => (Kind: NodePortKind, Value: p.ToString(CultureInfo.InvariantCulture))));
            foreach (var (kind, value) in claimed)
            {
                rangeHolder.TryGetValue($"{kind}|{value}", out var range);
                if (range is null && poolFilter is not null)
                {
                    continue;
                }

                if (range?.Holder != service)
                {
                    report.Duplicates.Add($"{kind} {value} is held by service '{service}' but its range holds it for {(range is null ? "nobody" : $"'{range.Holder}'")}");
                }
            }
        }
    }

    /// <summary>Frees each value of <paramref name="values"/> that its service, asked again, still does not hold.</summary>
    public async Task RepairAsync(IEnumerable<LeakedServiceValue> values, ReleaseFromReportResponse response)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(response);
        foreach (var value in values)
        {
            try
            {
                var freed = value.Kind switch
                {
                    ClusterIpKind => await grains.GetGrain<IClusterIpRangeGrain>(value.Range).ReleaseUnheldAsync(value.Holder, value.Value),
                    NodePortKind => await grains.GetGrain<INodePortGrain>(value.Range).ReleaseUnheldAsync(value.Holder, int.Parse(value.Value, CultureInfo.InvariantCulture)),
                    _ => throw new InvalidOperationException($"kind '{value.Kind}' is neither '{ClusterIpKind}' nor '{NodePortKind}'"),
                };
                response.ServiceValuesReleased += freed ? 1 : 0;
            }
            catch (Exception e)
            {
                response.Errors.Add($"{value.Kind} {value.Value} of '{value.Range}' (service '{value.Holder}'): {e.Message}");
            }
        }
    }

    private static bool Holds(ServiceHoldings holdings, LeakedServiceValue value) => value.Kind == ClusterIpKind
        ? holdings.ClusterIps.Contains(value.Value, StringComparer.Ordinal)
        : holdings.NodePorts.Any(p => p.ToString(CultureInfo.InvariantCulture) == value.Value);

    private async Task<Dictionary<string, ServiceHoldings>> AskAsync(IReadOnlyList<string> services)
    {
        var answers = new Dictionary<string, ServiceHoldings>(StringComparer.Ordinal);
        foreach (var chunk in services.Chunk(Parallelism))
        {
            var asked = await Task.WhenAll(chunk.Select(async key =>
            {
                try
                {
                    return (key, Holdings: await grains.GetGrain<IServiceGrain>(key).HoldingsAsync());
                }
                catch (Exception)
                {
                    return (key, Holdings: (ServiceHoldings?)null);
                }
            }));
            foreach (var (key, holdings) in asked.Where(a => a.Holdings is not null))
            {
                answers[key] = holdings!;
            }
        }

        return answers;
    }
}
