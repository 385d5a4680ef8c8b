using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Services;

/// <summary>
/// Kubernetes' ipFamilyPolicy rules as a pure function of the request, the server's service pools
/// and (on update) the current service. Refusals are <c>InvalidArgument</c> naming the field and
/// happen before anything is allocated.
/// </summary>
internal static class ServicePlanner
{
    /// <summary>Resolves <paramref name="request"/> for service <paramref name="key"/>; <paramref name="current"/> is null on create.</summary>
    public static ServicePlan Plan(string key, ServiceRequest request, ServiceRecord? current)
    {
        var type = request.Type == ServiceType.Unspecified ? ServiceType.ClusterIp : request.Type;
        var policy = request.Policy == IpFamilyPolicy.Unspecified ? IpFamilyPolicy.SingleStack : request.Policy;
        var available = request.Pools.Select(p => p.Family).ToList();
        if (available.Count == 0)
        {
            throw new IpamGrainException(IpamErrorKind.FailedPrecondition, "no service pool is configured on this server");
        }

        if (current is not null && (current.Type == ServiceType.Headless) != (type == ServiceType.Headless))
        {
            throw Invalid("type", $"service {key} cannot change between Headless and {(type == ServiceType.Headless ? current.Type : type)}: cluster IPs are immutable; delete and recreate it");
        }

        var ips = request.ClusterIps;
        if (type == ServiceType.Headless && ips.Count > 0)
        {
            throw Invalid("cluster_ips", "a headless service has no cluster IP");
        }

        var families = request.Families.ToList();
        for (var i = 0; i < ips.Count && i < families.Count; i++)
        {
            if (FamilyOf(ips[i]) != families[i])
            {
                throw Invalid($"cluster_ips[{i}]", $"'{ips[i]}' is IPv{FamilyOf(ips[i])} but ip_families[{i}] is IPv{families[i]}");
            }
        }

        families.AddRange(ips.Skip(families.Count).Select(FamilyOf));
        if (current is not null)
        {
            var primary = current.Families[0];
            if (families.Count > 0 && families[0] != primary)
            {
                throw Invalid("ip_families[0]", $"the primary family of service {key} is IPv{primary} and cannot change");
            }

            if (ips.Count > 0 && current.ClusterIps.Count > 0 && ips[0] != current.ClusterIps[0])
            {
                throw Invalid("cluster_ips[0]", $"the primary cluster IP of service {key} is {current.ClusterIps[0]} and cannot change");
            }

            if (ips.Count > 1 && current.ClusterIps.Count > 1 && ips[1] != current.ClusterIps[1])
            {
                throw Invalid("cluster_ips[1]", $"the secondary cluster IP of service {key} is {current.ClusterIps[1]}; remove the secondary family (SingleStack) before asking for another");
            }

            if (families.Count == 0)
            {
                families.Add(primary);
            }
        }

        if (families.Count == 0)
        {
            families.Add(available[0]);
        }

        if (policy == IpFamilyPolicy.SingleStack && families.Count > 1)
        {
            throw Invalid("ip_family_policy", "SingleStack allows one family, but the request names two (ip_families or cluster_ips)");
        }

        if (policy != IpFamilyPolicy.SingleStack && families.Count == 1)
        {
            var other = families[0] == 4 ? 6 : 4;
            if (available.Contains(other))
            {
                families.Add(other);
            }
            else if (policy == IpFamilyPolicy.RequireDualStack)
            {
                throw Invalid("ip_family_policy", $"RequireDualStack needs service pools of both families, but this server has IPv{families[0]} service pools only");
            }
        }

        var pools = new List<ServicePool>();
        for (var i = 0; i < families.Count; i++)
        {
            var pool = request.Pools.FirstOrDefault(p => p.Family == families[i])
                ?? throw Invalid($"ip_families[{i}]", $"no IPv{families[i]} service pool is configured on this server");
            pools.Add(pool);
        }

        var requested = families.Select((_, i) => i < ips.Count ? ips[i] : null).ToList();
        return new ServicePlan(type, policy, families, pools, requested);
    }

    /// <summary>4 or 6 for a canonical address.</summary>
    public static int FamilyOf(string address) => address.Contains(':', StringComparison.Ordinal) ? 6 : 4;

    private static IpamGrainException Invalid(string field, string reason) =>
        new(IpamErrorKind.InvalidArgument, $"{field}: {reason}");
}
