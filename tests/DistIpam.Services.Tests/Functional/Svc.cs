using DistIpam.Api.V1;

namespace DistIpam.Services.Tests.Functional;

/// <summary>Request builders for the functional tests.</summary>
public static class Svc
{
    private static int _next;

    /// <summary>A namespace no other test uses.</summary>
    public static string UniqueNamespace(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next)}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A service message.</summary>
    public static Service Of(string serviceNamespace, string name, ServiceType type = ServiceType.ClusterIp, IpFamilyPolicy policy = IpFamilyPolicy.Unspecified, params ServicePort[] ports)
    {
        var service = new Service { Namespace = serviceNamespace, Name = name, Type = type, IpFamilyPolicy = policy };
        service.Ports.AddRange(ports.Length > 0 ? ports : [Port("http", 80)]);
        return service;
    }

    /// <summary>A port.</summary>
    public static ServicePort Port(string name, int port, Protocol protocol = Protocol.Tcp, int nodePort = 0) =>
        new() { Name = name, Port = port, Protocol = protocol, NodePort = nodePort };

    /// <summary>An endpoint.</summary>
    public static Endpoint Endpoint(string target, params string[] addresses)
    {
        var endpoint = new Endpoint { Target = target, NodeName = "node-a" };
        endpoint.Addresses.AddRange(addresses);
        endpoint.Ports.Add(new EndpointPort { Name = "http", Port = 8080 });
        return endpoint;
    }

    /// <summary>Upserts of endpoints into a service.</summary>
    public static UpsertEndpointsRequest Upsert(string serviceNamespace, string service, params Endpoint[] endpoints)
    {
        var request = new UpsertEndpointsRequest { Namespace = serviceNamespace, Service = service };
        request.Endpoints.AddRange(endpoints);
        return request;
    }
}
