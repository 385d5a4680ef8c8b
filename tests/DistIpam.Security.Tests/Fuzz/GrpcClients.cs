using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Security.Tests.Fuzz;

/// <summary>The three API clients on one call invoker.</summary>
public sealed class GrpcClients(CallInvoker invoker)
{
    /// <summary>The Ipam API.</summary>
    public Ipam.IpamClient Ipam { get; } = new(invoker);

    /// <summary>The Pools API.</summary>
    public Pools.PoolsClient Pools { get; } = new(invoker);

    /// <summary>The Services API.</summary>
    public Services.ServicesClient Services { get; } = new(invoker);
}
