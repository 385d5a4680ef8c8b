using DistIpam.Api.V1;
using DistIpam.Grains.Services;
using Endpoint = DistIpam.Api.V1.Endpoint;

namespace DistIpam.Server.Services;

/// <summary>Grain records to proto messages for the service API.</summary>
public static class ServiceProtoMapper
{
    /// <summary>A service.</summary>
    public static Api.V1.Service ToProto(ServiceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var service = new Api.V1.Service
        {
            Namespace = record.Namespace,
            Name = record.Name,
            Type = (Api.V1.ServiceType)(int)record.Type,
            IpFamilyPolicy = (Api.V1.IpFamilyPolicy)(int)record.Policy,
            Version = record.Version,
        };
        service.IpFamilies.AddRange(record.Families.Select(f => (IpFamily)f));
        service.ClusterIps.AddRange(record.ClusterIps);
        service.Pools.AddRange(record.Pools);
        service.Ports.AddRange(record.Ports.Select(p => new ServicePort
        {
            Name = p.Name,
            Protocol = ProtocolOf(p.Protocol),
            Port = p.Port,
            TargetPort = p.TargetPort,
            NodePort = p.NodePort,
        }));
        foreach (var (key, value) in record.Labels)
        {
            service.Labels[key] = value;
        }

        return service;
    }

    /// <summary>A slice.</summary>
    public static EndpointSlice ToProto(EndpointSliceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var slice = new EndpointSlice
        {
            Namespace = record.Namespace,
            Service = record.Service,
            Name = record.Name,
            Family = (IpFamily)record.Family,
            Version = record.Version,
        };
        foreach (var e in record.Endpoints)
        {
            var endpoint = new Endpoint
            {
                Target = e.Target,
                NodeName = e.NodeName,
                Zone = e.Zone,
                Conditions = new EndpointConditions { Ready = e.Ready, Serving = e.Serving, Terminating = e.Terminating },
            };
            endpoint.Addresses.AddRange(e.Addresses);
            endpoint.Ports.AddRange(e.Ports.Select(p => new EndpointPort { Name = p.Name, Protocol = ProtocolOf(p.Protocol), Port = p.Port }));
            slice.Endpoints.Add(endpoint);
        }

        return slice;
    }

    /// <summary>A feed event as a watch event.</summary>
    public static WatchEvent ToProto(ServiceEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var watchEvent = new WatchEvent { Type = (WatchEvent.Types.Type)(int)e.Type, Version = e.Version };
        if (e.Service is { } service)
        {
            watchEvent.Service = ToProto(service);
        }
        else if (e.Slice is { } slice)
        {
            watchEvent.Slice = ToProto(slice);
        }

        return watchEvent;
    }

    private static Protocol ProtocolOf(string protocol) => protocol switch
    {
        "UDP" => Protocol.Udp,
        "SCTP" => Protocol.Sctp,
        _ => Protocol.Tcp,
    };
}
