using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fuzz;
using FsCheck;
using FsCheck.Fluent;
using Grpc.Core;

namespace DistIpam.Security.Tests.Fuzz;

/// <summary>Generates hostile requests for every RPC of the Ipam, Pools and Services APIs.</summary>
public static class GrpcFuzzCases
{
    /// <summary>The refusals a request with an invalid field may get.</summary>
    public static readonly StatusCode[] Refusals =
        [StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition, StatusCode.AlreadyExists, StatusCode.OutOfRange, StatusCode.ResourceExhausted];

    private static readonly StatusCode[] ReadAnswers = [StatusCode.OK, .. Refusals];

    /// <summary>Any hostile request.</summary>
    public static Gen<GrpcFuzzCase> Any() => Gen.Frequency(
        (4, Allocate()),
        (2, Release()),
        (2, Check()),
        (2, GarbageCollect()),
        (3, CreatePool()),
        (1, UpdatePool()),
        (1, PoolReads()),
        (1, HostileFields.Label().Select(n => Case("DeletePool", new DeletePoolRequest { Name = n }, (c, o, r) => c.Pools.DeletePoolAsync(r, o).ResponseAsync))),
        (1, HostileFields.Identifier().Select(n => Case("ReleaseNode", new ReleaseNodeRequest { Node = n }, (c, o, r) => c.Pools.ReleaseNodeAsync(r, o).ResponseAsync))),
        (3, CreateService()),
        (2, UpsertEndpoints()),
        (1, ServiceReads()),
        (1, Gen.Constant(Oversized())),
        (3, RawBytes()));

    private static readonly string[] RawMethods =
        ["/distipam.v1.Ipam/Allocate", "/distipam.v1.Ipam/Release", "/distipam.v1.Ipam/GarbageCollect", "/distipam.v1.Pools/CreatePool", "/distipam.v1.Services/CreateService", "/distipam.v1.Services/UpsertEndpoints"];

    // Bytes no client library would send: garbage, truncated messages, strings that are not UTF-8.
    private static Gen<GrpcFuzzCase> RawBytes() =>
        from method in Gen.Elements(RawMethods)
        from kind in Gen.Choose(0, 3)
        from garbage in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
        from cut in Gen.Choose(1, 40)
        select RawCase(method, kind, garbage, cut);

    private static GrpcFuzzCase RawCase(string method, int kind, byte[] garbage, int cut)
    {
        // A valid Allocate (handle fuzznet/fuzz-c1/eth0, node fuzz-node) whose node field is then broken.
        byte[] valid = [0x0A, 0x19, 0x0A, 0x07, .. "fuzznet"u8, 0x12, 0x07, .. "fuzz-c1"u8, 0x1A, 0x04, .. "eth0"u8, 0x12, 0x09, .. "fuzz-node"u8];
        byte[] body = kind switch
        {
            0 => garbage,
            1 => valid[..Math.Min(cut, valid.Length - 1)],
            2 => [.. valid[..^9], 0xFF, 0xFE, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x61, 0x62],
            _ => [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, .. garbage],
        };
        var request = new Google.Protobuf.WellKnownTypes.BytesValue { Value = Google.Protobuf.ByteString.CopyFrom(body) };
        return new GrpcFuzzCase($"{method} (raw {kind})", request, (c, o) => c.SendRawAsync(method, body, o), Refusals);
    }

    private static Gen<GrpcFuzzCase> Allocate() =>
        from corrupt in Gen.Choose(0, 6)
        from id in HostileFields.Identifier()
        from ifname in HostileFields.Interface()
        from address in HostileFields.Address()
        from podName in HostileValues.Text()
        select Case("Allocate", AllocateRequest(corrupt, id, ifname, address, podName), (c, o, r) => c.Ipam.AllocateAsync(r, o).ResponseAsync);

    private static AllocateRequest AllocateRequest(int corrupt, string id, string ifname, string address, string podName)
    {
        var request = new AllocateRequest
        {
            Handle = Handle(corrupt, id, ifname),
            Node = corrupt == 3 ? id : "fuzz-node",
            Pod = new PodAttributes { Namespace = podName, Name = podName, Uid = podName },
        };
        if (corrupt == 4)
        {
            request.RequestedIps.Add(address);
        }
        else if (corrupt == 5)
        {
            request.Pools.Add(id);
        }
        else if (corrupt == 6)
        {
            request.Handle = null;
        }

        return request;
    }

    private static Handle Handle(int corrupt, string id, string ifname) => new()
    {
        Network = corrupt == 0 ? id : "fuzznet",
        ContainerId = corrupt == 1 ? id : "fuzz-c1",
        Interface = corrupt == 2 ? ifname : "eth0",
    };

    private static Gen<GrpcFuzzCase> Release() =>
        from corrupt in Gen.Choose(0, 3)
        from id in HostileFields.Identifier()
        from ifname in HostileFields.Interface()
        where corrupt != 3 || id.Length > 0 // an empty node is "no node", which is valid
        select Case("Release", new ReleaseRequest { Handle = Handle(corrupt, id, ifname), Node = corrupt == 3 ? id : "" }, (c, o, r) => c.Ipam.ReleaseAsync(r, o).ResponseAsync);

    private static Gen<GrpcFuzzCase> Check() =>
        from corrupt in Gen.Choose(0, 3)
        from id in HostileFields.Identifier()
        from ifname in HostileFields.Interface()
        from address in HostileFields.Address()
        select Case("Check", CheckRequest(Handle(corrupt, id, ifname), corrupt == 3 ? address : "10.244.0.9"), (c, o, r) => c.Ipam.CheckAsync(r, o).ResponseAsync);

    private static CheckRequest CheckRequest(Handle handle, string address)
    {
        var request = new CheckRequest { Handle = handle };
        request.ExpectedAddresses.Add(address);
        return request;
    }

    private static Gen<GrpcFuzzCase> GarbageCollect() =>
        from corrupt in Gen.Choose(0, 2)
        from id in HostileFields.Identifier()
        select Case("GarbageCollect", GcRequest(corrupt, id), (c, o, r) => c.Ipam.GarbageCollectAsync(r, o).ResponseAsync);

    private static GarbageCollectRequest GcRequest(int corrupt, string id)
    {
        var request = new GarbageCollectRequest { Network = corrupt == 0 ? id : "fuzznet", Node = corrupt == 1 ? id : "fuzz-node" };
        request.Valid.Add(new Handle { Network = "fuzznet", ContainerId = corrupt == 2 ? id : "fuzz-c1", Interface = "eth0" });
        return request;
    }

    private static Gen<GrpcFuzzCase> CreatePool() =>
        from pool in HostilePool("fuzz-new")
        select Case("CreatePool", new CreatePoolRequest { Pool = pool }, (c, o, r) => c.Pools.CreatePoolAsync(r, o).ResponseAsync);

    private static Gen<GrpcFuzzCase> UpdatePool() =>
        from pool in HostilePool("fuzz-none")
        select Case("UpdatePool", new UpdatePoolRequest { Pool = pool }, (c, o, r) => c.Pools.UpdatePoolAsync(r, o).ResponseAsync);

    // A pool in free space (10.254.0.0/24) with exactly one field made invalid.
    private static Gen<Pool> HostilePool(string name) =>
        from corrupt in Gen.Choose(0, 5)
        from label in HostileFields.Label()
        from cidr in HostileFields.Cidr()
        from length in HostileFields.V4BlockLength()
        from undefined in HostileFields.UndefinedEnum()
        from reserved in Gen.OneOf(HostileFields.Address(), Gen.Elements("10.253.0.1", "10.254.0.9-10.254.0.1", "10.254.1.0/24", "fd00::1"))
        select HostilePool(name, corrupt, label, cidr, length, undefined, reserved);

    private static Pool HostilePool(string name, int corrupt, string label, string cidr, int length, int undefined, string reserved)
    {
        var pool = new Pool
        {
            Name = corrupt == 0 ? label : name,
            Cidr = corrupt == 1 ? cidr : "10.254.0.0/24",
            BlockPrefixLength = corrupt == 2 ? length : 28,
            Kind = corrupt == 3 ? (PoolKind)undefined : PoolKind.Pod,
            MaxBlocksPerNode = corrupt == 5 ? Math.Min(-1, undefined) : 0,
        };
        if (corrupt == 4)
        {
            pool.ReservedRanges.Add(reserved);
        }

        return pool;
    }

    private static Gen<GrpcFuzzCase> PoolReads() =>
        from which in Gen.Choose(0, 2)
        from text in HostileValues.Text()
        select which switch
        {
            0 => Read("GetPool", new GetPoolRequest { Name = text }, (c, o, r) => c.Pools.GetPoolAsync(r, o).ResponseAsync),
            1 => Read("ListBlocks", new ListBlocksRequest { Pool = text, Node = text }, (c, o, r) => c.Pools.ListBlocksAsync(r, o).ResponseAsync),
            _ => Read("GetUsage", new GetUsageRequest { Pool = text, Node = text }, (c, o, r) => c.Pools.GetUsageAsync(r, o).ResponseAsync),
        };

    private static Gen<GrpcFuzzCase> CreateService() =>
        from corrupt in Gen.Choose(0, 6)
        from label in HostileFields.Label()
        from port in HostileFields.Port()
        from address in HostileFields.Address()
        from undefined in HostileFields.UndefinedEnum()
        select Case("CreateService", new CreateServiceRequest { Service = HostileService(corrupt, label, port, address, undefined) }, (c, o, r) => c.Services.CreateServiceAsync(r, o).ResponseAsync);

    private static Service HostileService(int corrupt, string label, int port, string address, int undefined)
    {
        var service = new Service { Namespace = corrupt == 0 ? label : "fuzz", Name = corrupt == 1 ? label : "fuzz-svc" };
        service.Ports.Add(new ServicePort { Port = corrupt == 2 ? port : 80, Protocol = corrupt == 5 ? (Protocol)undefined : Protocol.Tcp });
        if (corrupt == 3)
        {
            service.ClusterIps.Add(address);
        }

        if (corrupt == 4)
        {
            service.IpFamilies.Add((IpFamily)undefined);
        }

        if (corrupt == 6)
        {
            service.Labels[label.Length == 0 ? "-bad" : label + "/x/y"] = "v";
        }

        return service;
    }

    private static Gen<GrpcFuzzCase> UpsertEndpoints() =>
        from corrupt in Gen.Choose(0, 2)
        from id in HostileFields.Identifier()
        from address in HostileFields.Address()
        from port in HostileFields.Port()
        select Case("UpsertEndpoints", UpsertRequest(corrupt, id, address, port), (c, o, r) => c.Services.UpsertEndpointsAsync(r, o).ResponseAsync);

    private static UpsertEndpointsRequest UpsertRequest(int corrupt, string id, string address, int port)
    {
        var endpoint = new Endpoint { Target = corrupt == 0 ? id : "pod-1" };
        endpoint.Addresses.Add(corrupt == 1 ? address : "10.244.0.9");
        endpoint.Ports.Add(new EndpointPort { Port = corrupt == 2 ? port : 8080 });
        var request = new UpsertEndpointsRequest { Namespace = "fuzz", Service = "fuzz-svc" };
        request.Endpoints.Add(endpoint);
        return request;
    }

    private static Gen<GrpcFuzzCase> ServiceReads() =>
        from which in Gen.Choose(0, 2)
        from text in HostileValues.Text()
        select which switch
        {
            0 => Read("GetService", new GetServiceRequest { Namespace = text, Name = text }, (c, o, r) => c.Services.GetServiceAsync(r, o).ResponseAsync),
            1 => Read("ListServices", new ListServicesRequest { Namespace = text, LabelSelector = text }, (c, o, r) => c.Services.ListServicesAsync(r, o).ResponseAsync),
            _ => Read("ListEndpointSlices", new ListEndpointSlicesRequest { Namespace = text, Service = text }, (c, o, r) => c.Services.ListEndpointSlicesAsync(r, o).ResponseAsync),
        };

    // Past DistIpam:MaxRequestBytes (4 MiB): refused before it is parsed.
    private static GrpcFuzzCase Oversized()
    {
        var request = new AllocateRequest { Handle = new Handle { Network = "fuzznet", ContainerId = "fuzz-big", Interface = "eth0" }, Node = "fuzz-node" };
        request.RequestedIps.AddRange(Enumerable.Repeat(new string('1', 70_000), 80));
        return new GrpcFuzzCase("Allocate (5.6 MB)", request, (c, o) => c.Ipam.AllocateAsync(request, o).ResponseAsync, [StatusCode.ResourceExhausted]);
    }

    private static GrpcFuzzCase Case<TRequest>(string method, TRequest request, Func<GrpcClients, CallOptions, TRequest, Task> call)
        where TRequest : Google.Protobuf.IMessage =>
        new(method, request, (c, o) => call(c, o, request), Refusals);

    private static GrpcFuzzCase Read<TRequest>(string method, TRequest request, Func<GrpcClients, CallOptions, TRequest, Task> call)
        where TRequest : Google.Protobuf.IMessage =>
        new(method, request, (c, o) => call(c, o, request), ReadAnswers);
}
