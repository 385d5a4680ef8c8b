namespace DistIpam.Grains.Services;

/// <summary>Allocating and releasing ClusterIPs and NodePorts.</summary>
public sealed partial class ServiceGrain
{
    private IClusterIpRangeGrain Range(string pool) => GrainFactory.GetGrain<IClusterIpRangeGrain>(pool);

    private INodePortGrain NodePorts => GrainFactory.GetGrain<INodePortGrain>(INodePortGrain.DefaultRange);

    private async Task<IReadOnlyList<string>> AllocateIpsAsync(ServicePlan plan, ServiceRecord? current, Taken taken)
    {
        if (plan.Type == ServiceType.Headless)
        {
            return [];
        }

        var ips = new List<string>();
        for (var i = 0; i < plan.Families.Count; i++)
        {
            if (current is not null && i < current.ClusterIps.Count && current.Families[i] == plan.Families[i])
            {
                ips.Add(current.ClusterIps[i]);
                continue;
            }

            var pool = plan.Pools[i];
            var ip = await Range(pool.Name).AllocateAsync(pool.Cidr, Key, plan.Requested[i]);

            // The range answers what this service already holds there (idempotent per holder);
            // what the durable record holds is never given back by a rollback.
            if (current?.ClusterIps.Contains(ip, StringComparer.Ordinal) != true)
            {
                taken.Ips.Add((pool.Name, ip));
            }

            ips.Add(ip);
        }

        return ips;
    }

    private async Task<IReadOnlyList<ServicePortRecord>> AllocateNodePortsAsync(ServicePlan plan, ServiceRequest request, ServiceRecord? current, Taken taken)
    {
        var (assigned, dynamicCount) = NodePortPlanner.Plan(plan.Type, request.Ports, current);
        var specific = assigned.Where(p => p > 0).Distinct().ToList();
        IReadOnlyList<int> dynamic = [];
        if (specific.Count > 0 || dynamicCount > 0)
        {
            var held = current?.Ports.Select(p => p.NodePort).Where(p => p > 0).ToHashSet() ?? [];
            dynamic = await NodePorts.AllocateAsync(Key, specific, dynamicCount);
            taken.Ports.AddRange(specific.Where(p => !held.Contains(p)));
            taken.Ports.AddRange(dynamic.Where(p => !held.Contains(p)));
        }

        return [.. request.Ports.Select((p, i) => p with { NodePort = assigned[i] < 0 ? dynamic[-assigned[i] - 1] : assigned[i] })];
    }

    private async Task RollbackAsync(Taken taken, Exception cause)
    {
        foreach (var (pool, ip) in taken.Ips)
        {
            try
            {
                await Range(pool).ReleaseAsync(Key, ip);
            }
            catch (Exception e)
            {
                LogRollbackFailed(e, Key, ip, cause.Message);
            }
        }

        if (taken.Ports.Count > 0)
        {
            try
            {
                await NodePorts.ReleaseAsync(Key, taken.Ports);
            }
            catch (Exception e)
            {
                LogRollbackFailed(e, Key, string.Join(", ", taken.Ports), cause.Message);
            }
        }
    }

    // After the new state is durable: free what the old one held and the new one does not.
    private async Task ReleaseUnheldAsync(ServiceRecord old, ServiceRecord? now)
    {
        var keep = now?.ClusterIps.ToHashSet(StringComparer.Ordinal) ?? [];
        var released = new Taken();
        for (var i = 0; i < old.ClusterIps.Count && i < old.Pools.Count; i++)
        {
            if (!keep.Contains(old.ClusterIps[i]))
            {
                released.Ips.Add((old.Pools[i], old.ClusterIps[i]));
            }
        }

        var keepPorts = now?.Ports.Select(p => p.NodePort).ToHashSet() ?? [];
        released.Ports.AddRange(old.Ports.Select(p => p.NodePort).Where(p => p > 0 && !keepPorts.Contains(p)).Distinct());
        await RollbackAsync(released, new InvalidOperationException("release after update or delete"));
    }

    /// <summary>What one change allocated, for rollback.</summary>
    private sealed class Taken
    {
        public List<(string Pool, string Ip)> Ips { get; } = [];

        public List<int> Ports { get; } = [];
    }
}
