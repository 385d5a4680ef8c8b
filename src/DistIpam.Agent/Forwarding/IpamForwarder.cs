using DistIpam.Agent.Metrics;
using DistIpam.Api.V1;
using DistIpam.Client;
using Grpc.Core;

namespace DistIpam.Agent.Forwarding;

/// <summary>
/// Pass-through of the plugin's requests over the agent's warm channels (DistIpamClient: failover in
/// order, UNAVAILABLE retried within <see cref="AgentOptions.ServerTimeout"/>). A server's refusal
/// propagates as the <see cref="RpcException"/> it was. Every call is counted, and its outcome tells
/// the metrics whether a server answers.
/// </summary>
public sealed class IpamForwarder(DistIpamClient client, AgentMetrics metrics)
{
    /// <summary>Ipam.Allocate.</summary>
    public Task<AllocateResponse> AllocateAsync(AllocateRequest request, CancellationToken cancellationToken) =>
        ObserveAsync("Allocate", client.Ipam.AllocateAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Ipam.Release.</summary>
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, CancellationToken cancellationToken) =>
        ObserveAsync("Release", client.Ipam.ReleaseAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Ipam.Check.</summary>
    public Task<CheckResponse> CheckAsync(CheckRequest request, CancellationToken cancellationToken) =>
        ObserveAsync("Check", client.Ipam.CheckAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Ipam.GarbageCollect.</summary>
    public Task<GarbageCollectResponse> GarbageCollectAsync(GarbageCollectRequest request, CancellationToken cancellationToken) =>
        ObserveAsync("GarbageCollect", client.Ipam.GarbageCollectAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Ipam.Status.</summary>
    public Task<StatusResponse> StatusAsync(StatusRequest request, CancellationToken cancellationToken) =>
        ObserveAsync("Status", client.Ipam.StatusAsync(request, cancellationToken: cancellationToken).ResponseAsync);

    private async Task<T> ObserveAsync<T>(string operation, Task<T> call)
    {
        metrics.PassedThrough(operation);
        try
        {
            var response = await call.ConfigureAwait(false);
            metrics.ServerReached(true);
            return response;
        }
        catch (RpcException e)
        {
            metrics.ServerReached(!Reserve.WarmReserve.IsAway(e));
            throw;
        }
    }
}
