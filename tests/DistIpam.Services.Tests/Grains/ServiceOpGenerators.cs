using DistIpam.Grains.Services;
using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Services.Tests.Grains;

/// <summary>
/// Random operation sequences over four services: tiny pools (2 IPv4, 3 IPv6 addresses) and a
/// 12-port NodePort range make exhaustion and conflicts common; requests include ones the family
/// policy refuses, taken and out-of-range values, so failures (and their rollback) are exercised.
/// </summary>
public static class ServiceOpGenerators
{
    /// <summary>How many services a run uses.</summary>
    public const int Services = 4;

    private static readonly int[] OnlyV4Family = [4];
    private static readonly int[] OnlyV6Family = [6];
    private static readonly int[] V4ThenV6 = [4, 6];
    private static readonly int[] V6ThenV4 = [6, 4];
    private static readonly string[] V4 = ["10.250.0.1", "10.250.0.2", "10.250.0.3", "10.250.1.1"];
    private static readonly string[] V6 = ["fd00:99::1", "fd00:99::2", "fd00:99::3", "fd00:99::4"];

    /// <summary>The arbitrary for sequences.</summary>
    public static Arbitrary<ServiceOp[]> Sequences() =>
        Gen.Choose(5, 30).SelectMany(n => Gen.ArrayOf(Op, n)).ToArbitrary();

    private static Gen<ServiceOp> Op =>
        from kind in Gen.Frequency(
            (4, Gen.Constant(ServiceOpKind.Create)),
            (3, Gen.Constant(ServiceOpKind.Update)),
            (1, Gen.Constant(ServiceOpKind.Delete)),
            (5, Gen.Constant(ServiceOpKind.Upsert)),
            (2, Gen.Constant(ServiceOpKind.Remove)),
            (1, Gen.Constant(ServiceOpKind.List)))
        from service in Gen.Choose(0, Services - 1)
        from request in Request
        from onlyV4 in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        from endpoints in Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Endpoint, n))
        from targets in Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Target, n))
        select new ServiceOp(kind, service, request, onlyV4, endpoints.DistinctBy(e => e.Target).ToList(), targets.Distinct().ToList());

    private static Gen<ServiceRequest> Request =>
        from type in Gen.Frequency((3, Gen.Constant(ServiceType.ClusterIp)), (3, Gen.Constant(ServiceType.NodePort)), (1, Gen.Constant(ServiceType.Headless)), (1, Gen.Constant(ServiceType.Unspecified)))
        from policy in Gen.Elements(IpFamilyPolicy.Unspecified, IpFamilyPolicy.SingleStack, IpFamilyPolicy.PreferDualStack, IpFamilyPolicy.RequireDualStack)
        from families in Gen.Frequency(
            (5, Gen.Constant(Array.Empty<int>())),
            (1, Gen.Constant(OnlyV4Family)),
            (1, Gen.Constant(OnlyV6Family)),
            (1, Gen.Constant(V4ThenV6)),
            (1, Gen.Constant(V6ThenV4)))
        from ips in Gen.Frequency(
            (6, Gen.Constant(Array.Empty<string>())),
            (1, Gen.Elements(V4).Select(a => new[] { a })),
            (1, Gen.Elements(V6).Select(a => new[] { a })),
            (1, from a in Gen.Elements(V4) from b in Gen.Elements(V6) select new[] { a, b }))
        from ports in Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Port, n))
        from label in Gen.Elements("a", "b")
        select new ServiceRequest
        {
            Type = type,
            Policy = policy,
            Families = families,
            ClusterIps = ips,
            Ports = [.. ports.DistinctBy(p => (p.Port, p.Protocol)).Select((p, i) => p with { Name = $"p{i}" })],
            Labels = new Dictionary<string, string> { ["app"] = label },
        };

    private static Gen<ServicePortRecord> Port =>
        from port in Gen.Elements(53, 80, 443)
        from protocol in Gen.Elements("TCP", "UDP")
        from nodePort in Gen.Frequency(
            (6, Gen.Constant(0)),
            (2, Gen.Choose(ServiceClusterFixture.NodePortFirst, ServiceClusterFixture.NodePortLast)),
            (1, Gen.Constant(ServiceClusterFixture.NodePortLast + 1)))
        select new ServicePortRecord { Protocol = protocol, Port = port, TargetPort = port, NodePort = nodePort };

    private static Gen<string> Target => Gen.Choose(0, 11).Select(i => $"pod-{i}");

    private static Gen<EndpointRecord> Endpoint =>
        from target in Target
        from host in Gen.Choose(1, 250)
        from families in Gen.Frequency((3, Gen.Constant(4)), (2, Gen.Constant(6)), (3, Gen.Constant(46)))
        from ready in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from node in Gen.Elements("node-a", "node-b", "")
        select new EndpointRecord
        {
            Target = target,
            Addresses = families switch
            {
                4 => [$"10.1.0.{host}"],
                6 => [$"fd00:1::{host:x}"],
                _ => [$"10.1.0.{host}", $"fd00:1::{host:x}"],
            },
            Ports = [new EndpointPortRecord { Name = "p0", Protocol = "TCP", Port = 8080 }],
            Ready = ready,
            Serving = ready,
            NodeName = node,
        };
}
