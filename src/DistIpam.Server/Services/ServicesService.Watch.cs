using DistIpam.Api.V1;
using DistIpam.Grains.Services;
using Grpc.Core;

namespace DistIpam.Server.Services;

/// <summary>
/// Watch: optional initial state, catch-up from the feed up to where the hub took over, then the
/// hub's live batches, with bookmarks while idle.
/// </summary>
public sealed partial class ServicesService
{
    private const int CatchUpPage = 500;

    /// <inheritdoc />
    public override async Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var filter = FilterOf(request.Namespace, request.Service, request.LabelSelector);
        if (request.SendInitialEvents && request.HasFromVersion)
        {
            throw new Errors.RequestValidationException("from_version must be unset with send_initial_events");
        }

        if (request.HasFromVersion && request.FromVersion < 0)
        {
            throw new Errors.RequestValidationException($"from_version {request.FromVersion} is negative");
        }

        var cancel = context.CancellationToken;
        var (watcher, hubPosition) = await hub.RegisterAsync(cancel);
        try
        {
            long position;
            var initial = new ServiceInitialVersions();
            if (request.SendInitialEvents)
            {
                position = await SendInitialAsync(filter, initial, responseStream, cancel);
            }
            else
            {
                position = request.HasFromVersion ? request.FromVersion : hubPosition;
            }

            var sendable = new ServiceWatchFilter(filter.Namespace, filter.Service, filter.Selector, initial);
            position = await CatchUpAsync(position, hubPosition, sendable, responseStream, cancel);
            await FollowAsync(watcher, position, sendable, responseStream, cancel);
        }
        finally
        {
            hub.Unregister(watcher);
        }
    }

    private static WatchEvent Marker(WatchEvent.Types.Type type, long version) => new() { Type = type, Version = version };

    private async Task<long> SendInitialAsync(ServiceWatchFilter filter, ServiceInitialVersions initial, IServerStreamWriter<WatchEvent> stream, CancellationToken cancel)
    {
        var (version, snapshots) = await ListAsync(filter);
        foreach (var snapshot in snapshots)
        {
            if (filter.Matches(snapshot.Service))
            {
                await stream.WriteAsync(new WatchEvent { Type = WatchEvent.Types.Type.Added, Version = snapshot.Service.Version, Service = ServiceProtoMapper.ToProto(snapshot.Service) }, cancel);
                initial.Sent(snapshot.Service);
            }

            foreach (var slice in snapshot.Slices.Where(filter.Matches))
            {
                await stream.WriteAsync(new WatchEvent { Type = WatchEvent.Types.Type.Added, Version = slice.Version, Slice = ServiceProtoMapper.ToProto(slice) }, cancel);
                initial.Sent(slice);
            }
        }

        await stream.WriteAsync(Marker(WatchEvent.Types.Type.InitialEventsEnd, version), cancel);
        return version;
    }

    // Events in (position, until] from the feed; OUT_OF_RANGE when they are no longer retained.
    private async Task<long> CatchUpAsync(long position, long until, ServiceWatchFilter filter, IServerStreamWriter<WatchEvent> stream, CancellationToken cancel)
    {
        var first = true;
        while (first || position < until)
        {
            var page = await Feed.ReadAsync(position, CatchUpPage);
            if (page.TooOld)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange, $"version {position} is older than the retained history (the oldest version to resume from is {page.OldestResumable}); list again and watch from the list's version"));
            }

            if (first && position > page.Latest)
            {
                throw new RpcException(new Status(StatusCode.OutOfRange, $"version {position} is newer than the newest version {page.Latest}; list again and watch from the list's version"));
            }

            first = false;
            foreach (var e in page.Events.TakeWhile(e => e.Version <= until))
            {
                if (filter.Matches(e))
                {
                    await stream.WriteAsync(ServiceProtoMapper.ToProto(e), cancel);
                }

                position = e.Version;
            }

            if (page.Events.Count == 0 || page.Events[^1].Version >= until)
            {
                break;
            }
        }

        return position;
    }

    private async Task FollowAsync(ServiceWatcher watcher, long position, ServiceWatchFilter filter, IServerStreamWriter<WatchEvent> stream, CancellationToken cancel)
    {
        var interval = options.Value.BookmarkInterval;
        Task<bool>? waiting = null;
        Task? bookmark = null;
        while (true)
        {
            while (watcher.Reader.TryRead(out var batch))
            {
                foreach (var e in batch)
                {
                    if (e.Source.Version > position && filter.Matches(e.Source))
                    {
                        await stream.WriteAsync(e.Proto, cancel);
                    }

                    position = Math.Max(position, e.Source.Version);
                }

                watcher.Consumed(batch.Count);
                ThrowIfDropped(watcher, position);
            }

            ThrowIfDropped(watcher, position);
            waiting ??= watcher.Reader.WaitToReadAsync(cancel).AsTask();
            bookmark ??= Task.Delay(interval, cancel);
            var done = await Task.WhenAny(waiting, bookmark);
            cancel.ThrowIfCancellationRequested();
            if (done == bookmark)
            {
                bookmark = null;
                await stream.WriteAsync(Marker(WatchEvent.Types.Type.Bookmark, position), cancel);
                continue;
            }

            waiting = null;
            if (!await (Task<bool>)done)
            {
                ThrowIfDropped(watcher, position);
                throw new RpcException(new Status(StatusCode.Unavailable, $"this server stopped following the service feed; resume from version {position}"));
            }
        }
    }

    private static void ThrowIfDropped(ServiceWatcher watcher, long position)
    {
        if (watcher.Dropped)
        {
            throw new RpcException(new Status(
                StatusCode.ResourceExhausted,
                $"watcher too slow: more than {watcher.Capacity} events were waiting for it, so it was dropped; resume from version {position} (the last one sent) or list again"));
        }
    }
}
