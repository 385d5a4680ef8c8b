using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Model;

namespace DistIpam.Chaos.Tests.Services;

/// <summary>
/// What the cluster acknowledged about the schedule's services. A ClusterIP or NodePort
/// acknowledged to a service while another present service holds it is reported at once
/// (invariant 7).
/// </summary>
internal sealed class ServiceModel(ViolationLog violations)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ServiceRecord> _services = new(StringComparer.Ordinal);

    /// <summary>The record of namespace/name, created on first use.</summary>
    public ServiceRecord For(string ns, string name, bool nodePort)
    {
        lock (_gate)
        {
            var key = $"{ns}/{name}";
            if (!_services.TryGetValue(key, out var record))
            {
                record = new ServiceRecord(ns, name, nodePort);
                _services.Add(key, record);
            }

            return record;
        }
    }

    /// <summary>Every service the schedule touched.</summary>
    public IReadOnlyList<ServiceRecord> All()
    {
        lock (_gate)
        {
            return [.. _services.Values];
        }
    }

    /// <summary>Records a create or update.</summary>
    public void Written(ServiceRecord record, string what, CallOutcome<Service> outcome)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            record.Note($"{what} -> {(outcome.Status == CallStatus.Succeeded ? string.Join(", ", outcome.Reply.ClusterIps) + " ports " + string.Join(", ", outcome.Reply.Ports.Select(p => p.NodePort)) : outcome.ToString())}");
            if (outcome.Status == CallStatus.Succeeded)
            {
                record.Status = HandleStatus.Held;
                record.ClusterIps = [.. outcome.Reply.ClusterIps];
                record.NodePorts = [.. outcome.Reply.Ports.Select(p => p.NodePort).Where(p => p != 0).Distinct()];
                CheckUnique(record);
            }
            else if (outcome.IsUncertain)
            {
                record.Status = HandleStatus.Unknown;
            }
        }
    }

    /// <summary>Records a delete.</summary>
    public void Deleted(ServiceRecord record, CallOutcome<DeleteServiceResponse> outcome)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            record.DeleteInFlight = false;
            record.Note($"Delete -> {outcome}");
            if (outcome.Status == CallStatus.Succeeded)
            {
                record.Status = HandleStatus.Released;
                record.ClusterIps = [];
                record.NodePorts = [];
            }
            else if (outcome.IsUncertain)
            {
                record.Status = HandleStatus.Unknown;
            }
        }
    }

    /// <summary>Notes a delete about to be sent (its resources may be free before the reply).</summary>
    public void DeleteStarting(ServiceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            record.DeleteInFlight = true;
        }
    }

    private void CheckUnique(ServiceRecord record)
    {
        foreach (var other in _services.Values.Where(s => s != record && s.Status == HandleStatus.Held && !s.DeleteInFlight))
        {
            foreach (var ip in other.ClusterIps.Intersect(record.ClusterIps, StringComparer.Ordinal))
            {
                violations.Report(7, $"ClusterIP {ip} acknowledged to {record.Key} while {other.Key} holds it", $"{other.Key}: {string.Join(" | ", other.History)}; {record.Key}: {string.Join(" | ", record.History)}");
            }

            foreach (var port in other.NodePorts.Intersect(record.NodePorts))
            {
                violations.Report(7, $"NodePort {port} acknowledged to {record.Key} while {other.Key} holds it", $"{other.Key}: {string.Join(" | ", other.History)}; {record.Key}: {string.Join(" | ", record.History)}");
            }
        }
    }
}
