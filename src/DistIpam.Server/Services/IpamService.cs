using System.Diagnostics;
using DistIpam.Api.V1;
using DistIpam.Core.Addressing;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Nodes;
using DistIpam.Server.Errors;
using DistIpam.Server.Hosting;
using DistIpam.Server.Metrics;
using DistIpam.Server.Validation;
using Grpc.Core;
using Route = DistIpam.Api.V1.Route;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Services;

/// <summary>The pod IPAM API: validates at the edge, then hands the work to the handle grain.</summary>
public sealed class IpamService(
    IGrainFactory grains,
    AllocationPlanner planner,
    PoolDirectory pools,
    ReadinessState readiness,
    IOptions<DistIpamOptions> options,
    IpamMetrics metrics,
    Nodes.NodeLeaseOptions leases,
    History.HistoryRecorder history,
    Gc.CniGarbageCollector cniGc) : Ipam.IpamBase
{
    /// <inheritdoc />
    public override async Task<AllocateResponse> Allocate(AllocateRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        RequestValidator.Handle(request.Handle);
        RequestValidator.Node("node", request.Node);
        RequestValidator.Entries("pools", request.Pools.Count);
        RequestValidator.Entries("requested_ips", request.RequestedIps.Count);
        var (chosen, requested) = await planner.PlanAsync(request);
        var record = await grains.GetGrain<IHandleGrain>(ProtoMapper.KeyOf(request.Handle)).AllocateAsync(new HandleAllocationRequest
        {
            Node = request.Node,
            Pools = [.. chosen.Select(p => p.Name)],
            RequestedAddresses = requested,
            Pod = PodOf(request.Pod),
        }, context.CancellationToken);

        // Queued, not awaited: HistoryRecorder says why nothing acknowledged is lost.
        history.Allocated(record.HandleId, request.Node, record.Leases);
        var response = new AllocateResponse();
        foreach (var lease in record.Leases)
        {
            response.Addresses.Add(ProtoMapper.AddressOf(lease, chosen.First(p => p.Name == lease.Pool)));
        }

        foreach (var route in chosen.SelectMany(p => p.Routes))
        {
            response.Routes.Add(new Route { Dst = route.Destination, Gw = route.Gateway ?? "" });
        }

        metrics.Allocations.Add(record.Leases.Count);
        metrics.AllocateSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return response;
    }

    /// <inheritdoc />
    public override async Task<ReleaseResponse> Release(ReleaseRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        RequestValidator.Handle(request.Handle);
        if (!string.IsNullOrEmpty(request.Node))
        {
            RequestValidator.Node("node", request.Node);
        }

        var released = await grains.GetGrain<IHandleGrain>(ProtoMapper.KeyOf(request.Handle)).ReleaseAsync(NullIfEmpty(request.Node), context.CancellationToken);
        history.Released(ProtoMapper.KeyOf(request.Handle), released, "Ipam.Release", "DEL");
        metrics.ReleaseSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        var response = new ReleaseResponse();
        response.Released.AddRange(released.Select(l => l.Address));
        return response;
    }

    /// <inheritdoc />
    public override async Task<CheckResponse> Check(CheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Handle(request.Handle);
        var key = ProtoMapper.KeyOf(request.Handle);
        RequestValidator.Entries("expected_addresses", request.ExpectedAddresses.Count);
        var expected = request.ExpectedAddresses.Select(a => RequestValidator.AddressOrPrefix("expected_addresses", a).ToString()).Order(StringComparer.Ordinal).ToList();
        var record = await grains.GetGrain<IHandleGrain>(key).GetAsync()
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"handle '{key}' holds no addresses"));
        var held = record.Leases.Select(l => l.Address).Order(StringComparer.Ordinal).ToList();
        if (!held.SequenceEqual(expected))
        {
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"handle '{key}' holds [{string.Join(", ", held)}] but [{string.Join(", ", expected)}] was expected"));
        }

        var response = new CheckResponse();
        foreach (var lease in record.Leases)
        {
            await ThrowUnlessBlockHoldsAsync(key, lease);
            response.Addresses.Add(ProtoMapper.AddressOf(lease, await pools.GetAsync(lease.Pool)));
        }

        return response;
    }

    /// <summary>
    /// The record alone is not the truth: a pod keeps its address only while the block holds it for
    /// the handle under the record's sequence; a block that freed it may hand it to another pod.
    /// </summary>
    private async Task ThrowUnlessBlockHoldsAsync(string handle, AddressLease lease)
    {
        var inBlock = (await grains.GetGrain<IBlockGrain>(BlockKey.Of(lease.Pool, lease.Block)).ListAllocationsAsync())
            .FirstOrDefault(b => b.Address == lease.Address);
        if (inBlock is null || inBlock.Sequence != lease.Sequence || inBlock.HandleId != handle)
        {
            var holder = inBlock is null ? "does not hold it" : $"holds it for '{inBlock.HandleId}' (sequence {inBlock.Sequence})";
            throw new RpcException(new Status(
                StatusCode.FailedPrecondition,
                $"handle '{handle}' records {lease.Address} (sequence {lease.Sequence}) but block {lease.Block} of pool '{lease.Pool}' {holder}: the pod's address is not reserved for it; delete and add the pod (distipamctl check reports the handle)"));
        }
    }

    /// <inheritdoc />
    public override async Task<AllocateResponse> MoveHandle(MoveHandleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Handle(request.From);
        RequestValidator.Handle(request.To);
        RequestValidator.Node("node", request.Node);
        RequestValidator.Entries("expected_addresses", request.ExpectedAddresses.Count);
        var from = ProtoMapper.KeyOf(request.From);
        var to = ProtoMapper.KeyOf(request.To);
        if (from == to)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"from and to are the same handle '{from}'"));
        }

        var expected = request.ExpectedAddresses.Select(a => RequestValidator.AddressOrPrefix("expected_addresses", a).ToString()).ToList();
        var source = await grains.GetGrain<IHandleGrain>(from).GetAsync();
        var record = await grains.GetGrain<IHandleGrain>(to).MoveFromAsync(new HandleMoveRequest
        {
            FromHandle = from,
            Node = request.Node,
            ExpectedAddresses = expected,
            Pod = PodOf(request.Pod),
        }, context.CancellationToken);

        if (source is not null)
        {
            history.Moved(from, source.Leases, to);
        }

        history.Allocated(record.HandleId, request.Node, record.Leases);
        return await ResponseOfAsync(record);
    }

    /// <inheritdoc />
    public override async Task<GarbageCollectResponse> GarbageCollect(GarbageCollectRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Identifier("network", request.Network);
        RequestValidator.Node("node", request.Node);
        foreach (var handle in request.Valid)
        {
            RequestValidator.Handle(handle);
        }

        return await cniGc.CollectAsync(request);
    }

    /// <inheritdoc />
    public override async Task<StatusResponse> Status(StatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.Node))
        {
            // The CNI STATUS verb is the node's heartbeat when no agent runs (docs/operations.md);
            // it renews only, keeping the addresses and version an agent's heartbeat recorded.
            RequestValidator.Node("node", request.Node);
            await grains.GetGrain<Nodes.INodeLeaseGrain>(request.Node).RenewAsync(CniStatusAgent, leases.LeaseDuration);
        }

        var response = new StatusResponse { Ready = readiness.IsReady, Message = readiness.NotReadyReason ?? "" };
        if (!readiness.IsReady)
        {
            return response;
        }

        var all = await pools.AllAsync();
        foreach (var name in options.Value.DefaultPodPools)
        {
            if (!all.TryGetValue(name, out var pool) || pool.Disabled)
            {
                response.Ready = false;
                response.Message = $"default pool '{name}' is {(pool is null ? "missing" : "disabled")}";
            }

            response.DefaultPools.Add(name);
        }

        return response;
    }

    private static PodIdentity PodOf(PodAttributes? pod) => new()
    {
        Namespace = NullIfEmpty(pod?.Namespace),
        Name = NullIfEmpty(pod?.Name),
        Uid = NullIfEmpty(pod?.Uid),
    };

    private async Task<AllocateResponse> ResponseOfAsync(HandleRecord record)
    {
        var response = new AllocateResponse();
        var routes = new HashSet<(string, string)>();
        foreach (var lease in record.Leases)
        {
            var pool = await pools.GetAsync(lease.Pool);
            response.Addresses.Add(ProtoMapper.AddressOf(lease, pool));
            foreach (var route in pool.Routes.Where(r => routes.Add((r.Destination, r.Gateway ?? ""))))
            {
                response.Routes.Add(new Route { Dst = route.Destination, Gw = route.Gateway ?? "" });
            }
        }

        return response;
    }

    /// <summary>The agent version a lease renewed by CNI STATUS records.</summary>
    public const string CniStatusAgent = "cni-status";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

}
