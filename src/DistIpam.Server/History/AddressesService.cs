using DistIpam.Api.V1;
using DistIpam.Grains.Handles;
using DistIpam.Server.Services;
using DistIpam.Server.Validation;
using Grpc.Core;

namespace DistIpam.Server.History;

/// <summary>Address and handle lookups, their history, and release by address (see addresses.proto).</summary>
public sealed partial class AddressesService(IGrainFactory grains, AddressLocator locator, HistoryRecorder history, ILogger<AddressesService> logger) : Addresses.AddressesBase
{
    /// <inheritdoc />
    public override async Task<AddressInfo> GetAddress(GetAddressRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var location = await locator.LocateAsync(request.Address);
        return HistoryMapper.InfoOf(location, await RecordedAsync(location));
    }

    /// <inheritdoc />
    public override async Task<HistoryResponse> GetAddressHistory(GetAddressHistoryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var events = await grains.GetGrain<IAddressHistoryGrain>(AddressLocator.Canonical(request.Address)).ListAsync();
        var response = new HistoryResponse();
        response.Events.AddRange(events.Select(HistoryMapper.EntryOf));
        return response;
    }

    /// <inheritdoc />
    public override async Task<HandleInfo> GetHandle(GetHandleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Handle(request.Handle);
        var key = ProtoMapper.KeyOf(request.Handle);
        var record = await grains.GetGrain<IHandleGrain>(key).GetAsync();
        if (record is null && (await grains.GetGrain<IHandleHistoryGrain>(key).ListAsync()).Count == 0)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"handle '{key}' holds no addresses and has no history"));
        }

        var info = new HandleInfo { Handle = key, Node = record?.Node ?? "" };
        foreach (var lease in record?.Leases ?? [])
        {
            info.Addresses.Add(HistoryMapper.InfoOf(await locator.LocateAsync(lease.Address), recorded: true));
        }

        return info;
    }

    /// <inheritdoc />
    public override async Task<HistoryResponse> GetHandleHistory(GetHandleHistoryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestValidator.Handle(request.Handle);
        var events = await grains.GetGrain<IHandleHistoryGrain>(ProtoMapper.KeyOf(request.Handle)).ListAsync();
        var response = new HistoryResponse();
        response.Events.AddRange(events.Select(HistoryMapper.EntryOf));
        return response;
    }

    /// <inheritdoc />
    public override async Task<ReleaseAddressResponse> ReleaseAddress(ReleaseAddressRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var location = await locator.LocateAsync(request.Address);
        var lease = location.Lease ?? throw new RpcException(new Status(StatusCode.NotFound, $"address {location.Address} of pool '{location.Pool}' is not allocated"));
        if (request.HasSequence && request.Sequence != lease.Sequence)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"address {location.Address} is held under sequence {lease.Sequence} (handle '{lease.HandleId}'), not {request.Sequence}: it was re-allocated since"));
        }

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "released by an operator" : request.Reason;
        var handle = grains.GetGrain<IHandleGrain>(lease.HandleId);

        // All of a handle or none: a recorded address goes with the rest of its handle; a leak (no
        // record holds it) goes alone, through the handle, which re-checks and fences first.
        var released = await RecordedAsync(location)
            ? await handle.ReleaseAsync(null)
            : await handle.ReleaseUnrecordedAsync([lease]);
        history.Released(lease.HandleId, released, "Addresses.ReleaseAddress", reason);
        LogReleased(location.Address, lease.HandleId, released.Count, reason);
        var response = new ReleaseAddressResponse { Handle = lease.HandleId };
        response.Released.AddRange(released.Select(l => l.Address));
        return response;
    }

    private async Task<bool> RecordedAsync(AddressLocator.Location location) =>
        location.Lease is { } lease
        && (await grains.GetGrain<IHandleGrain>(lease.HandleId).GetAsync())?.Leases.Any(l => l.Address == lease.Address && l.Sequence == lease.Sequence) == true;

    [LoggerMessage(EventId = 14120, Level = LogLevel.Warning, Message = "Address {Address} released by an operator with handle {Handle} ({Count} address(es)): {Reason}")]
    private partial void LogReleased(string address, string handle, int count, string reason);
}
