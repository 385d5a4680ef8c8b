using DistIpam.Agent.Metrics;
using DistIpam.Agent.Reserve;
using DistIpam.Api.V1;
using DistIpam.Client;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistIpam.Agent.Liveness;

/// <summary>
/// Renews this node's lease at the server (Nodes.Heartbeat) every <see cref="AgentOptions.HeartbeatInterval"/>,
/// so the GC controller never takes a live node's allocations for an expired node's (docs/agent.md, Liveness).
/// A failed heartbeat is logged and tried again at the next tick. Each answer tells <see cref="DrainGuard"/>
/// when the node was last drained.
/// </summary>
public sealed partial class HeartbeatService(
    DistIpamClient client,
    AgentMetrics metrics,
    DrainGuard drain,
    AgentIdentity identity,
    IOptions<AgentOptions> options,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    /// <summary>Heartbeats the server acknowledged.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    private long _acknowledged;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        var request = new HeartbeatRequest { Node = identity.NodeName, AgentVersion = AgentIdentity.Version };
        do
        {
            try
            {
                var response = await client.Nodes.HeartbeatAsync(request, cancellationToken: stoppingToken).ConfigureAwait(false);
                Interlocked.Increment(ref _acknowledged);
                metrics.ServerReached(true);
                LogRenewed(logger, identity.NodeName, response.ExpiresAtUnixMs);
                await drain.ObserveAsync(response.LastDrainedAtUnixMs, response.LastDrainReason).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                metrics.ServerReached(!Reserve.WarmReserve.IsAway(e));
                LogFailed(logger, identity.NodeName, e.StatusCode.ToString(), e.Status.Detail);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 15100, Level = LogLevel.Debug, Message = "Lease of {Node} renewed until {ExpiresAtUnixMs}")]
    private static partial void LogRenewed(ILogger logger, string node, long expiresAtUnixMs);

    [LoggerMessage(EventId = 15101, Level = LogLevel.Warning, Message = "Heartbeat of {Node} failed: {Status} {Detail}")]
    private static partial void LogFailed(ILogger logger, string node, string status, string detail);
}
