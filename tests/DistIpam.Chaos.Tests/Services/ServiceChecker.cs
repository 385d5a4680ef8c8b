using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Model;

namespace DistIpam.Chaos.Tests.Services;

/// <summary>Invariant 7 on a fresh ListServices: no ClusterIP or NodePort held twice; acknowledged services as acknowledged.</summary>
internal static class ServiceChecker
{
    /// <summary>Every violation of invariant 7 in <paramref name="listed"/> (every namespace).</summary>
    public static IReadOnlyList<Violation> Check(IReadOnlyList<ServiceRecord> records, IReadOnlyList<Service> listed)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(listed);
        var violations = new List<Violation>();
        foreach (var twice in listed.SelectMany(s => s.ClusterIps.Select(ip => (Ip: ip, Key: $"{s.Namespace}/{s.Name}"))).GroupBy(x => x.Ip).Where(g => g.Count() > 1))
        {
            violations.Add(new Violation(7, $"ClusterIP {twice.Key} is held by {string.Join(" and ", twice.Select(x => x.Key))}", ""));
        }

        var nodePorts = listed.SelectMany(s => s.Ports.Where(p => p.NodePort != 0).Select(p => p.NodePort).Distinct().Select(p => (Port: p, Key: $"{s.Namespace}/{s.Name}")));
        foreach (var twice in nodePorts.GroupBy(x => x.Port).Where(g => g.Count() > 1))
        {
            violations.Add(new Violation(7, $"NodePort {twice.Key} is held by {string.Join(" and ", twice.Select(x => x.Key))}", ""));
        }

        var byKey = listed.ToDictionary(s => $"{s.Namespace}/{s.Name}", StringComparer.Ordinal);
        foreach (var record in records)
        {
            var found = byKey.GetValueOrDefault(record.Key);
            if (record.Status == HandleStatus.Held && (found is null || !found.ClusterIps.SequenceEqual(record.ClusterIps)))
            {
                violations.Add(new Violation(7, $"acknowledged service {record.Key} ({string.Join(", ", record.ClusterIps)}) is {(found is null ? "missing" : "listed with " + string.Join(", ", found.ClusterIps))}", string.Join(" | ", record.History)));
            }

            if (record.Status == HandleStatus.Released && found is not null)
            {
                violations.Add(new Violation(7, $"deleted service {record.Key} is listed again with {string.Join(", ", found.ClusterIps)}", string.Join(" | ", record.History)));
            }
        }

        return violations;
    }
}
