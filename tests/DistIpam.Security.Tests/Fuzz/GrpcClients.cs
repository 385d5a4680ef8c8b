using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Security.Tests.Fuzz;

/// <summary>The three API clients on one call invoker.</summary>
public sealed class GrpcClients(CallInvoker invoker)
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    /// <summary>Sends <paramref name="body"/> as the request of <paramref name="method"/> (e.g. "/distipam.v1.Ipam/Allocate") without encoding it.</summary>
    public Task SendRawAsync(string method, byte[] body, CallOptions options)
    {
        var slash = method.LastIndexOf('/');
        var definition = new Method<byte[], byte[]>(MethodType.Unary, method[1..slash], method[(slash + 1)..], Raw, Raw);
        return invoker.AsyncUnaryCall(definition, null, options, body).ResponseAsync;
    }

    /// <summary>The Ipam API.</summary>
    public Ipam.IpamClient Ipam { get; } = new(invoker);

    /// <summary>The Pools API.</summary>
    public Pools.PoolsClient Pools { get; } = new(invoker);

    /// <summary>The Services API.</summary>
    public Services.ServicesClient Services { get; } = new(invoker);
}
