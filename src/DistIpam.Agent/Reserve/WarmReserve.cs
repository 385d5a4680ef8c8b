using System.Buffers;
using DistIpam.Agent.Forwarding;
using DistIpam.Agent.Metrics;
using DistIpam.Agent.Socket;
using DistIpam.Api.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistIpam.Agent.Reserve;

/// <summary>
/// Serves ADD from the warm reserve: a pod whose request the reserve fits (this node, the reserve's
/// pools, no requested address) gets a free slot's addresses as soon as the assignment is in the
/// journal (fsynced); <see cref="ReserveWorker"/> moves them to the pod's handle at the server later.
/// DEL and CHECK of a handle the agent assigned answer from the journal; everything else, and ADD when
/// the reserve is empty, goes to the server. docs/agent.md, Warm reserve.
/// </summary>
public sealed partial class WarmReserve(
    ReserveBook book,
    Journal journal,
    AgentIdentity identity,
    AgentMetrics metrics,
    IOptions<AgentOptions> options,
    ILogger<WarmReserve> logger) : IAgentLocalService
{
    // The server's identifier rule (CNI ids): a request outside it goes to the server, which refuses it.
    private static readonly SearchValues<char> IdChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
    private readonly HashSet<string> _pools = [.. options.Value.Pools];
    private readonly Dictionary<string, Task> _durable = new(StringComparer.Ordinal);

    /// <summary>Raised after every journaled change the worker must act on.</summary>
    public event Action? Changed;

    /// <inheritdoc />
    public async Task<AllocateResponse> AllocateAsync(AllocateRequest request, IpamForwarder forwarder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(forwarder);
        if (!Fits(request))
        {
            return await forwarder.AllocateAsync(request, cancellationToken).ConfigureAwait(false);
        }

        Task written;
        AllocateResponse response;
        lock (book.Gate)
        {
            if (book.WasForwarded(request.Handle))
            {
                response = null!;
                written = null!;
            }
            else if (book.TryGetAssigned(request.Handle, out var held))
            {
                // A repeated ADD: the same addresses, once they are durable.
                response = book.Addresses(held);
                written = _durable.GetValueOrDefault(ReserveBook.Key(request.Handle)) ?? Task.CompletedTask;
            }
            else if (book.TakeFree() is { } slot)
            {
                var record = new JournalRecord { Assigned = new SlotAssigned { Slot = slot, Request = request } };
                book.Apply(record);
                response = book.Addresses(slot);
                written = journal.Enqueue(record);
                _durable[ReserveBook.Key(request.Handle)] = written;
                metrics.Assigned();
                LogAssigned(logger, slot, request.Handle.ContainerId, book.FreeCount);
            }
            else
            {
                response = null!;
                written = null!;
            }
        }

        if (written is null)
        {
            return await FromServerAsync(request, forwarder, cancellationToken).ConfigureAwait(false);
        }

        // Outside the book's lock: this thread may be the one that fsyncs (Journal, group commit).
        journal.Commit();
        await written.ConfigureAwait(false);
        Changed?.Invoke();
        return response;
    }

    /// <inheritdoc />
    public async Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, IpamForwarder forwarder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(forwarder);
        JournalRecord? record = null;
        lock (book.Gate)
        {
            if (request.Handle is not null && book.TryGetAssigned(request.Handle, out var slot))
            {
                // The worker settles it at the server, in order with the slot's confirmation.
                record = new JournalRecord { Release = new PendingRelease { Id = book.NextReleaseId, Request = request, Slot = slot } };
                book.Apply(record);
                _durable.Remove(ReserveBook.Key(request.Handle));
            }
        }

        if (record is null)
        {
            try
            {
                var released = await forwarder.ReleaseAsync(request, cancellationToken).ConfigureAwait(false);
                Forget(request.Handle);
                return released;
            }
            catch (RpcException e) when (IsAway(e) && request.Handle is not null)
            {
                // Server away: the DEL is journaled and replayed when it is back.
                lock (book.Gate)
                {
                    record = new JournalRecord { Release = new PendingRelease { Id = book.NextReleaseId, Request = request } };
                    book.Apply(record);
                }

                LogReleaseDeferred(logger, request.Handle.ContainerId, e.StatusCode.ToString());
            }
        }

        await journal.AppendAsync(record).ConfigureAwait(false);
        Changed?.Invoke();
        return new ReleaseResponse();
    }

    /// <inheritdoc />
    public async Task<CheckResponse> CheckAsync(CheckRequest request, IpamForwarder forwarder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(forwarder);
        AllocateResponse? local = null;
        var confirmed = false;
        lock (book.Gate)
        {
            if (request.Handle is not null && book.TryGetAssigned(request.Handle, out var slot))
            {
                local = book.Addresses(slot);
                confirmed = book.IsConfirmed(slot);
            }
        }

        if (local is null || confirmed)
        {
            try
            {
                return await forwarder.CheckAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (IsAway(e) && local is not null)
            {
                // Server away: the journal knows what it gave this handle.
            }
        }

        var held = local!.Addresses.Select(a => a.Address).Order(StringComparer.Ordinal);
        if (!held.SequenceEqual(request.ExpectedAddresses.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"handle {request.Handle!.ContainerId} holds {string.Join(", ", held)}, not {string.Join(", ", request.ExpectedAddresses)}"));
        }

        var response = new CheckResponse();
        response.Addresses.AddRange(local.Addresses);
        return response;
    }

    /// <inheritdoc />
    public async Task<StatusResponse> StatusAsync(StatusRequest request, IpamForwarder forwarder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(forwarder);
        try
        {
            return await forwarder.StatusAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (IsAway(e) && FreeCount() > 0)
        {
            return new StatusResponse { Ready = true, Message = $"no server answers ({e.StatusCode}); ADD is served from the warm reserve ({FreeCount()} left)" };
        }
    }

    private void Forget(Handle? handle)
    {
        if (handle is null)
        {
            return;
        }

        var forgotten = new JournalRecord { Forgotten = handle };
        lock (book.Gate)
        {
            if (!book.WasForwarded(handle))
            {
                return;
            }

            book.Apply(forgotten);
        }

        // Not awaited: losing it only means a later ADD of a deleted handle goes to the server.
        _ = journal.AppendAsync(forgotten);
    }

    private int FreeCount()
    {
        lock (book.Gate)
        {
            return book.FreeCount;
        }
    }

    /// <summary>Whether a failure means no server answered (as opposed to a server's refusal).</summary>
    public static bool IsAway(RpcException exception) =>
        exception?.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Aborted;

    private async Task<AllocateResponse> FromServerAsync(AllocateRequest request, IpamForwarder forwarder, CancellationToken cancellationToken)
    {
        var forwarded = new JournalRecord { Forwarded = request.Handle };
        lock (book.Gate)
        {
            book.Apply(forwarded);
        }

        // Durable before the call: the server may act on it even if this agent dies before it answers.
        await journal.AppendAsync(forwarded).ConfigureAwait(false);
        try
        {
            return await forwarder.AllocateAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (IsAway(e))
        {
            throw new Forwarding.AgentRefusalException(
                11,
                $"the warm reserve of node {identity.NodeName} is empty and no DistIpam server answered; ADD can succeed again when a server is back",
                e.Status.Detail);
        }
    }

    private bool Fits(AllocateRequest request) =>
        options.Value.ReserveSize > 0
        && request.Handle is { } handle
        && request.RequestedIps.Count == 0
        && request.Node == identity.NodeName
        && request.Pools.Count == _pools.Count && request.Pools.All(_pools.Contains)
        && IsId(handle.Network) && IsId(handle.ContainerId)
        && handle.Interface.Length is > 0 and <= 15 && handle.Interface.AsSpan().IndexOfAnyExcept(IdChars) < 0;

    private static bool IsId(string value) => value.Length is > 0 and <= 253 && value.AsSpan().IndexOfAnyExcept(IdChars) < 0;

    [LoggerMessage(EventId = 15300, Level = LogLevel.Debug, Message = "Slot {Slot} given to {Container} ({Free} free)")]
    private static partial void LogAssigned(ILogger logger, long slot, string container, int free);

    [LoggerMessage(EventId = 15301, Level = LogLevel.Warning, Message = "No server answered the DEL of {Container} ({Status}); journaled for replay")]
    private static partial void LogReleaseDeferred(ILogger logger, string container, string status);
}
