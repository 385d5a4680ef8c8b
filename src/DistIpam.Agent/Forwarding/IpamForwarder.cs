using DistIpam.Api.V1;
using DistIpam.Client;
using Grpc.Core;

namespace DistIpam.Agent.Forwarding;

/// <summary>
/// Pass-through of the plugin's requests over the agent's warm channels (DistIpamClient: failover in
/// order, UNAVAILABLE retried within <see cref="AgentOptions.ServerTimeout"/>). A server's refusal
/// propagates as the <see cref="RpcException"/> it was.
/// </summary>
public sealed class IpamForwarder(DistIpamClient client)
{
    /// <summary>Ipam.Allocate.</summary>
    public async Task<AllocateResponse> AllocateAsync(AllocateRequest request, CancellationToken cancellationToken) =>
        await client.Ipam.AllocateAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Ipam.Release.</summary>
    public async Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken) =>
        await client.Ipam.ReleaseAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Ipam.Check.</summary>
    public async Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
        await client.Ipam.CheckAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Ipam.GarbageCollect.</summary>
    public async Task<GarbageCollectResponse> GarbageCollectAsync(GarbageCollectRequest request, CancellationToken cancellationToken) =>
        await client.Ipam.GarbageCollectAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);

    /// <summary>Ipam.Status.</summary>
    public async Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellationToken) =>
        await client.Ipam.StatusAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
}
