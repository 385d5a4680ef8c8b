using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Services;

/// <summary>
/// Which NodePort each port gets (Kubernetes rules): an explicit one; else the one the port had
/// (same number and protocol); else the one another entry with the same port number has (TCP and
/// UDP of one port share a NodePort); else a new one, one per port number. A NodePort is never
/// used twice with one protocol. Pure.
/// </summary>
internal static class NodePortPlanner
{
    /// <summary>
    /// The NodePort per port (negative -(g+1) = the g-th dynamic one still to allocate) and how
    /// many dynamic ones are needed. Non-NodePort services get none and may not ask for any.
    /// </summary>
    public static (int[] Assigned, int DynamicCount) Plan(ServiceType type, IReadOnlyList<ServicePortRecord> ports, ServiceRecord? current)
    {
        var assigned = new int[ports.Count];
        if (type != ServiceType.NodePort)
        {
            for (var i = 0; i < ports.Count; i++)
            {
                if (ports[i].NodePort != 0)
                {
                    throw Invalid($"ports[{i}].node_port", "only services of type NodePort have node ports");
                }
            }

            return (assigned, 0);
        }

        var used = new HashSet<(int NodePort, string Protocol)>();
        var byNumber = new Dictionary<int, int>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i].NodePort is var wanted and not 0)
            {
                if (!used.Add((wanted, ports[i].Protocol)))
                {
                    throw Invalid($"ports[{i}].node_port", $"node port {wanted}/{ports[i].Protocol} is used by two ports");
                }

                assigned[i] = wanted;
                byNumber.TryAdd(ports[i].Port, wanted);
            }
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (assigned[i] != 0)
            {
                continue;
            }

            var kept = current?.Ports.FirstOrDefault(p => p.Port == port.Port && p.Protocol == port.Protocol && p.NodePort != 0)?.NodePort ?? 0;
            if (kept != 0 && used.Add((kept, port.Protocol)))
            {
                assigned[i] = kept;
                byNumber.TryAdd(port.Port, kept);
            }
        }

        var groups = new Dictionary<int, int>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            if (assigned[i] != 0)
            {
                continue;
            }

            if (byNumber.TryGetValue(port.Port, out var shared) && used.Add((shared, port.Protocol)))
            {
                assigned[i] = shared;
                continue;
            }

            if (!groups.TryGetValue(port.Port, out var group))
            {
                group = groups.Count;
                groups[port.Port] = group;
            }

            assigned[i] = -(group + 1);
        }

        return (assigned, groups.Count);
    }

    private static IpamGrainException Invalid(string field, string reason) =>
        new(IpamErrorKind.InvalidArgument, $"{field}: {reason}");
}
