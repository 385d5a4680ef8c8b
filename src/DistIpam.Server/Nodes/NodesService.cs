using DistIpam.Api.V1;
using DistIpam.Server.Validation;
using Grpc.Core;

namespace DistIpam.Server.Nodes;

/// <summary>Node leases, listing and draining (see nodes.proto).</summary>
public sealed partial class NodesService(IGrainFactory grains, NodeDirectory directory, NodeDrainer drainer, NodeLeaseOptions options, TimeProvider time, ILogger<NodesService> logger) : Api.V1.Nodes.NodesBase
{
    /// <inheritdoc />
    public override async Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Node("node", request.Node);
        var lease = await grains.GetGrain<INodeLeaseGrain>(request.Node).HeartbeatAsync([.. request.Addresses], request.AgentVersion, options.LeaseDuration);
        return new HeartbeatResponse
        {
            ExpiresAtUnixMs = lease.LastSeenUnixMs + (long)options.LeaseDuration.TotalMilliseconds,
            LeaseDurationMs = (long)options.LeaseDuration.TotalMilliseconds,
            LastDrainedAtUnixMs = lease.LastDrainedAtUnixMs,
            LastDrainReason = lease.LastDrainReason,
        };
    }

    /// <inheritdoc />
    public override async Task<ListNodesResponse> ListNodes(ListNodesRequest request, ServerCallContext context)
    {
        var response = new ListNodesResponse();
        response.Nodes.AddRange(await directory.ListAsync());
        return response;
    }

    /// <inheritdoc />
    public override async Task<NodeInfo> GetNode(GetNodeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Node("name", request.Name);
        return await directory.GetAsync(request.Name)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"node '{request.Name}' is unknown (no lease and no blocks)"));
    }

    /// <inheritdoc />
    public override async Task<DrainNodeResponse> DrainNode(DrainNodeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Node("node", request.Node);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "drained by an operator" : request.Reason;
        if (request.RefuseIfAlive && await directory.GetAsync(request.Node) is { LeaseState: LeaseState.Alive } alive)
        {
            var ago = TimeSpan.FromMilliseconds(Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - alive.LastSeenUnixMs));
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"node '{request.Node}' is alive (last heartbeat {ago.TotalSeconds:0} s ago): draining it would release addresses its pods may still use; nothing was released"));
        }

        var result = await drainer.DrainAsync(request.Node, reason);
        await grains.GetGrain<INodeLeaseGrain>(request.Node).MarkDrainedAsync(reason);
        LogDrained(request.Node, result.AddressesReleased, result.BlocksReleased.Count, reason);
        var response = new DrainNodeResponse { AddressesReleased = result.AddressesReleased };
        response.BlocksReleased.AddRange(result.BlocksReleased);
        return response;
    }

    [LoggerMessage(EventId = 14001, Level = LogLevel.Warning, Message = "Node {Node} drained: {Addresses} address(es) and {Blocks} block(s) released ({Reason})")]
    private partial void LogDrained(string node, long addresses, int blocks, string reason);
}
