using System.Text.RegularExpressions;
using DistIpam.Api.V1;
using DistIpam.Core.Addressing;
using Endpoint = DistIpam.Api.V1.Endpoint;
using IpFamily = DistIpam.Api.V1.IpFamily;
using DistIpam.Grains.Services;
using DistIpam.Server.Errors;
using DistIpam.Server.Validation;

namespace DistIpam.Server.Services;

/// <summary>
/// Edge validation of the service API: names, ports, protocols, families and addresses, with
/// messages that name the field. Anything refused here has changed nothing.
/// </summary>
public static partial class ServiceRequestValidator
{
    private const int MaxLabelLength = 63;

    /// <summary>A DNS-1123 label: 1-63 of [a-z0-9-], starting and ending with a letter or digit.</summary>
    public static string Name(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new RequestValidationException($"{field} is required");
        }

        if (value.Length > MaxLabelLength || !Dns1123Label().IsMatch(value))
        {
            throw new RequestValidationException($"{field} {InputEcho.Quote(value)} is not a DNS-1123 label (1-63 lowercase letters, digits and '-', starting and ending with a letter or digit)");
        }

        return value;
    }

    /// <summary>Validates a service message into the grain request (pools are resolved by the caller).</summary>
    public static ServiceRequest Service(Api.V1.Service? service)
    {
        if (service is null)
        {
            throw new RequestValidationException("service is required");
        }

        Name("service.namespace", service.Namespace);
        Name("service.name", service.Name);
        if (!Enum.IsDefined(service.Type) || !Enum.IsDefined(service.IpFamilyPolicy))
        {
            throw new RequestValidationException($"service.type or service.ip_family_policy has an unknown value ({(int)service.Type}, {(int)service.IpFamilyPolicy})");
        }

        return new ServiceRequest
        {
            Type = (Grains.Services.ServiceType)(int)service.Type,
            Policy = (Grains.Services.IpFamilyPolicy)(int)service.IpFamilyPolicy,
            Families = Families(service.IpFamilies),
            ClusterIps = ClusterIps(service.ClusterIps),
            Ports = Ports(service.Ports),
            Labels = Labels(service.Labels),
        };
    }

    /// <summary>Validates endpoints into grain records, applying the condition defaults.</summary>
    public static IReadOnlyList<EndpointRecord> Endpoints(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var records = new List<EndpointRecord>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var e = endpoints[i];
            var field = $"endpoints[{i}]";
            RequestValidator.Identifier($"{field}.target", e.Target);
            if (!seen.Add(e.Target))
            {
                throw new RequestValidationException($"{field}.target {InputEcho.Quote(e.Target)} appears twice");
            }

            if (e.Addresses.Count == 0)
            {
                throw new RequestValidationException($"{field}.addresses needs at least one address");
            }

            var addresses = e.Addresses.Select((a, j) => Address($"{field}.addresses[{j}]", a)).Distinct().ToList();
            var ports = e.Ports.Select((p, j) => new EndpointPortRecord
            {
                Name = p.Name,
                Protocol = Protocol($"{field}.ports[{j}].protocol", p.Protocol),
                Port = Port($"{field}.ports[{j}].port", p.Port),
            }).ToList();
            if (e.NodeName.Length > 0)
            {
                RequestValidator.Node($"{field}.node_name", e.NodeName);
            }

            if (e.Zone.Length > 0)
            {
                RequestValidator.Identifier($"{field}.zone", e.Zone);
            }

            var c = e.Conditions;
            records.Add(new EndpointRecord
            {
                Target = e.Target,
                Addresses = addresses,
                Ports = ports,
                Ready = c is null || !c.HasReady || c.Ready,
                Serving = c is null || !c.HasServing || c.Serving,
                Terminating = c is not null && c.HasTerminating && c.Terminating,
                NodeName = e.NodeName,
                Zone = e.Zone,
            });
        }

        return records;
    }

    private static List<int> Families(Google.Protobuf.Collections.RepeatedField<IpFamily> families)
    {
        if (families.Count > 2)
        {
            throw new RequestValidationException($"service.ip_families names {families.Count} families; at most two are allowed");
        }

        var result = new List<int>();
        for (var i = 0; i < families.Count; i++)
        {
            if (families[i] is not (IpFamily.V4 or IpFamily.V6))
            {
                throw new RequestValidationException($"service.ip_families[{i}] must be IP_FAMILY_V4 or IP_FAMILY_V6");
            }

            if (result.Contains((int)families[i]))
            {
                throw new RequestValidationException($"service.ip_families[{i}] repeats {families[i]}");
            }

            result.Add((int)families[i]);
        }

        return result;
    }

    private static List<string> ClusterIps(Google.Protobuf.Collections.RepeatedField<string> ips)
    {
        if (ips.Count > 2)
        {
            throw new RequestValidationException($"service.cluster_ips names {ips.Count} addresses; at most two (one per family) are allowed");
        }

        var result = ips.Select((ip, i) => Address($"service.cluster_ips[{i}]", ip)).ToList();
        if (result.Count == 2 && ServicePlannerFamily(result[0]) == ServicePlannerFamily(result[1]))
        {
            throw new RequestValidationException($"service.cluster_ips[1] {InputEcho.Quote(result[1])} is of the same family as cluster_ips[0]; two addresses must be one IPv4 and one IPv6");
        }

        return result;
    }

    private static List<ServicePortRecord> Ports(Google.Protobuf.Collections.RepeatedField<ServicePort> ports)
    {
        var result = new List<ServicePortRecord>();
        for (var i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            var field = $"service.ports[{i}]";
            if (ports.Count > 1 || p.Name.Length > 0)
            {
                Name($"{field}.name", p.Name);
            }

            var record = new ServicePortRecord
            {
                Name = p.Name,
                Protocol = Protocol($"{field}.protocol", p.Protocol),
                Port = Port($"{field}.port", p.Port),
                TargetPort = p.TargetPort == 0 ? p.Port : Port($"{field}.target_port", p.TargetPort),
                NodePort = p.NodePort == 0 ? 0 : Port($"{field}.node_port", p.NodePort),
            };
            if (result.Any(r => r.Name == record.Name))
            {
                throw new RequestValidationException($"{field}.name {InputEcho.Quote(record.Name)} is used by two ports");
            }

            if (result.Any(r => r.Port == record.Port && r.Protocol == record.Protocol))
            {
                throw new RequestValidationException($"{field}: duplicate port {record.Port}/{record.Protocol}");
            }

            result.Add(record);
        }

        return result;
    }

    private static Dictionary<string, string> Labels(IDictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            if (key.Length is 0 or > 253 || !LabelKey().IsMatch(key))
            {
                throw new RequestValidationException($"service.labels key {InputEcho.Quote(key)} is not a label key ([prefix/]name of letters, digits, '-', '_', '.')");
            }

            if (value.Length > MaxLabelLength || (value.Length > 0 && !LabelValue().IsMatch(value)))
            {
                throw new RequestValidationException($"service.labels[{InputEcho.Quote(key)}] value {InputEcho.Quote(value)} is not a label value (up to 63 letters, digits, '-', '_', '.')");
            }
        }

        return new Dictionary<string, string>(labels, StringComparer.Ordinal);
    }

    private static string Address(string field, string text) => RequestValidator.Address(field, text).ToString();

    private static int Port(string field, int port) =>
        port is >= 1 and <= 65535 ? port : throw new RequestValidationException($"{field} {port} is not a port (1-65535)");

    private static string Protocol(string field, Api.V1.Protocol protocol) => protocol switch
    {
        Api.V1.Protocol.Unspecified or Api.V1.Protocol.Tcp => "TCP",
        Api.V1.Protocol.Udp => "UDP",
        Api.V1.Protocol.Sctp => "SCTP",
        _ => throw new RequestValidationException($"{field} {(int)protocol} is not TCP, UDP or SCTP"),
    };

    private static int ServicePlannerFamily(string address) => address.Contains(':', StringComparison.Ordinal) ? 6 : 4;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex LabelKey();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
