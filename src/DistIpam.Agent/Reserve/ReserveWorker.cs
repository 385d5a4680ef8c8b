using DistIpam.Api.V1;
using DistIpam.Client;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistIpam.Agent.Reserve;

/// <summary>
/// The one writer of the reserve at the server, so its steps never race each other: replays pending
/// DELs, confirms assigned slots (Ipam.MoveHandle gives the slot's addresses to the pod's handle without
/// freeing them in between), verifies free slots
/// (a drained node or a restored server loses them) and refills to <see cref="AgentOptions.ReserveSize"/>.
/// Woken by every change, and every second; a round that meets an absent server stops and backs off.
/// </summary>
public sealed partial class ReserveWorker(
    ReserveBook book,
    Journal journal,
    WarmReserve reserve,
    DistIpamClient client,
    AgentIdentity identity,
    IOptions<AgentOptions> options,
    ILogger<ReserveWorker> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan VerifyInterval = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly AgentOptions _options = options.Value;

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var replayed = journal.Open(records =>
        {
            foreach (var record in records)
            {
                book.Apply(record);
            }

            return book.Snapshot();
        });
        var unconfirmed = book.Unconfirmed().Count;
        LogReplayed(logger, replayed.Count, book.FreeCount, unconfirmed, book.PendingReleaseCount);
        reserve.Changed += () => _wake.Release();
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        journal.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        var lastVerified = DateTime.MinValue;
        var away = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReleasePendingAsync(stoppingToken).ConfigureAwait(false);
                await ConfirmAssignedAsync(stoppingToken).ConfigureAwait(false);
                if (away || DateTime.UtcNow - lastVerified > VerifyInterval)
                {
                    await VerifyFreeAsync(stoppingToken).ConfigureAwait(false);
                    lastVerified = DateTime.UtcNow;
                }

                await RefillAsync(stoppingToken).ConfigureAwait(false);
                if (away)
                {
                    LogServerBack(logger);
                }

                away = false;
                backoff = TimeSpan.FromMilliseconds(100);
                await _wake.WaitAsync(Tick, stoppingToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (WarmReserve.IsAway(e) && !stoppingToken.IsCancellationRequested)
            {
                if (!away)
                {
                    LogServerAway(logger, e.StatusCode.ToString());
                }

                away = true;
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(false);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException e)
            {
                // A refusal the worker cannot act on (e.g. a pool removed): log it and try again at the next tick.
                LogRefused(logger, e.StatusCode.ToString(), e.Status.Detail);
                await Task.Delay(Tick, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReleasePendingAsync(CancellationToken cancellationToken)
    {
        List<PendingRelease> pending;
        lock (book.Gate)
        {
            pending = book.PendingReleases();
        }

        foreach (var release in pending)
        {
            var records = new List<JournalRecord>();
            if (release.HasSlot)
            {
                // Unconfirmed: the reserve handle still holds the addresses; a half-done confirmation may have moved them.
                await client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = ReserveHandles.Of(identity.NodeName, release.Slot), Node = identity.NodeName }, cancellationToken: cancellationToken).ConfigureAwait(false);
                records.Add(new JournalRecord { Dropped = release.Slot });
            }

            await client.Ipam.ReleaseAsync(release.Request, cancellationToken: cancellationToken).ConfigureAwait(false);
            records.Add(new JournalRecord { Released = release.Id });
            await ApplyAsync(records).ConfigureAwait(false);
        }
    }

    private async Task ConfirmAssignedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long slot;
            AllocateRequest pod;
            AllocateResponse addresses;
            lock (book.Gate)
            {
                var unconfirmed = book.Unconfirmed();
                if (unconfirmed.Count == 0)
                {
                    return;
                }

                slot = unconfirmed[0];
                pod = book.AssignedRequest(slot).Clone();
                addresses = book.Addresses(slot);
            }

            if (await ServerHoldsOthersAsync(pod.Handle, addresses, cancellationToken).ConfigureAwait(false))
            {
                // The handle got other addresses at the server (an ADD that went there directly). The pod uses the
                // reserve's: they stay held by the reserve handle, so nobody else gets them, until the pod's DEL.
                await ApplyAsync([new JournalRecord { Confirmed = slot }]).ConfigureAwait(false);
                continue;
            }

            // One server call moves the slot's addresses to the pod's handle: they are never free in
            // between, and a repeat after a lost reply returns the same addresses (docs/agent.md).
            var move = new MoveHandleRequest { From = ReserveHandles.Of(identity.NodeName, slot), To = pod.Handle, Node = identity.NodeName, Pod = pod.Pod };
            move.ExpectedAddresses.AddRange(ReserveHandles.BareAddresses(addresses));
            try
            {
                await client.Ipam.MoveHandleAsync(move, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (!WarmReserve.IsAway(e))
            {
                // The slot is no longer held as journaled (the node was drained, or the store restored):
                // nothing moved, and the pod's addresses are not held for it at the server.
                LogConfirmFailed(logger, pod.Handle.ContainerId, string.Join(", ", move.ExpectedAddresses), e.StatusCode.ToString(), e.Status.Detail);
            }

            await ApplyAsync([new JournalRecord { Confirmed = slot }]).ConfigureAwait(false);
        }
    }

    // True when the server holds other addresses than the slot's for the pod's handle (false: none, or exactly these).
    private async Task<bool> ServerHoldsOthersAsync(Handle handle, AllocateResponse addresses, CancellationToken cancellationToken)
    {
        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(addresses.Addresses.Select(a => a.Address));
        try
        {
            await client.Ipam.CheckAsync(check, cancellationToken: cancellationToken).ConfigureAwait(false);
            return false;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            LogDisagreement(logger, handle.ContainerId, string.Join(", ", check.ExpectedAddresses), e.Status.Detail);
            return true;
        }
    }

    private async Task VerifyFreeAsync(CancellationToken cancellationToken)
    {
        List<long> free;
        lock (book.Gate)
        {
            free = [.. book.Free];
        }

        foreach (var slot in free)
        {
            var check = new CheckRequest { Handle = ReserveHandles.Of(identity.NodeName, slot) };
            lock (book.Gate)
            {
                check.ExpectedAddresses.AddRange(book.Addresses(slot).Addresses.Select(a => a.Address));
            }

            try
            {
                await client.Ipam.CheckAsync(check, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.NotFound or StatusCode.FailedPrecondition)
            {
                // The server no longer holds the slot for us (the node was drained, or the store was restored).
                JournalRecord dropped;
                lock (book.Gate)
                {
                    if (!book.Free.Contains(slot))
                    {
                        continue;
                    }

                    book.TakeFreeSlot(slot);
                    dropped = new JournalRecord { Dropped = slot };
                    book.Apply(dropped);
                }

                await journal.AppendAsync(dropped).ConfigureAwait(false);
                LogSlotLost(logger, slot, e.Status.Detail);
            }
        }
    }

    private async Task RefillAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            long slot;
            lock (book.Gate)
            {
                var filling = book.Filling.Order().ToList();
                if (filling.Count > 0)
                {
                    slot = filling[0];
                }
                else if (book.FreeCount < _options.ReserveSize)
                {
                    slot = book.NextSlot;
                    book.Apply(new JournalRecord { FillStarted = slot });
                }
                else
                {
                    return;
                }
            }

            // Durable before the server call: after a crash the same (idempotent) allocation is repeated, never leaked.
            await journal.AppendAsync(new JournalRecord { FillStarted = slot }).ConfigureAwait(false);
            var request = new AllocateRequest { Handle = ReserveHandles.Of(identity.NodeName, slot), Node = identity.NodeName };
            request.Pools.AddRange(_options.Pools);
            var response = await client.Ipam.AllocateAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            await ApplyAsync([new JournalRecord { Filled = new SlotFilled { Slot = slot, Response = response } }]).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(IReadOnlyList<JournalRecord> records)
    {
        var writes = new List<Task>();
        lock (book.Gate)
        {
            foreach (var record in records)
            {
                book.Apply(record);
                writes.Add(journal.AppendAsync(record));
            }
        }

        await Task.WhenAll(writes).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 15400, Level = LogLevel.Information, Message = "Journal replayed ({Records} records): {Free} free slots, {Unconfirmed} assignments to confirm, {Releases} DELs to replay")]
    private static partial void LogReplayed(ILogger logger, int records, int free, int unconfirmed, int releases);

    [LoggerMessage(EventId = 15401, Level = LogLevel.Warning, Message = "No server answers ({Status}); ADD is served from the warm reserve until it is empty")]
    private static partial void LogServerAway(ILogger logger, string status);

    [LoggerMessage(EventId = 15402, Level = LogLevel.Information, Message = "A server answers again; journal and server reconciled")]
    private static partial void LogServerBack(ILogger logger);

    [LoggerMessage(EventId = 15403, Level = LogLevel.Error, Message = "Handle {Container} was given {Expected} by the agent but the server holds {Held}")]
    private static partial void LogDisagreement(ILogger logger, string container, string expected, string held);

    [LoggerMessage(EventId = 15404, Level = LogLevel.Error, Message = "Confirming {Container} with {Addresses} was refused: {Status} {Detail}")]
    private static partial void LogConfirmFailed(ILogger logger, string container, string addresses, string status, string detail);

    [LoggerMessage(EventId = 15405, Level = LogLevel.Warning, Message = "Reserve slot {Slot} is no longer held at the server ({Detail}); dropped")]
    private static partial void LogSlotLost(ILogger logger, long slot, string detail);

    [LoggerMessage(EventId = 15406, Level = LogLevel.Warning, Message = "The server refused a reserve step: {Status} {Detail}")]
    private static partial void LogRefused(ILogger logger, string status, string detail);
}
