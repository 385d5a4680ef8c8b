namespace DistIpam.Grains.Services;

/// <summary>Publishing a change and writing it (DESIGN §3 rules 1-3).</summary>
public sealed partial class ServiceGrain
{
    /// <summary>
    /// Publishes <paramref name="events"/> (the feed answers once they are durable), stamps their
    /// versions into <paramref name="next"/>, then writes (or clears) the state. When the feed
    /// fails, <paramref name="rollback"/> gives back what this change allocated. When either write
    /// fails, the durable state is re-read and re-published so watchers converge on the truth, and
    /// the grain deactivates; the failure propagates.
    /// </summary>
    private async Task CommitAsync(ServiceState next, List<ServiceEvent> events, bool delete, Func<Exception, Task> rollback)
    {
        IReadOnlyList<long> versions;
        try
        {
            versions = await Feed.AppendAsync(events);
        }
        catch (Exception e)
        {
            await rollback(e);
            await ResyncAsync(events);
            DeactivateOnIdle();
            throw;
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Service is not null && next.Record is not null)
            {
                next.Record = next.Record with { Version = versions[i] };
            }
            else if (events[i].Slice is { } slice && next.Slices.FirstOrDefault(s => s.Name == slice.Name) is { } target)
            {
                target.Version = versions[i];
            }
        }

        try
        {
            if (delete)
            {
                await state.ClearStateAsync();
            }
            else
            {
                state.State = next;
                await state.WriteStateAsync();
            }
        }
        catch (Exception e)
        {
            // Not rolled back: the write may have landed, and a duplicate activation may hold the
            // same values. Storage decides; watchers are told what it says.
            LogWriteFailed(e, Key);
            await ResyncAsync(events);
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task ResyncAsync(IReadOnlyList<ServiceEvent> attempted)
    {
        try
        {
            await state.ReadStateAsync();
            var durable = state.State;
            var fixes = attempted.Select(e => e.Service is { } service
                ? durable.Record is { } record
                    ? new ServiceEvent { Type = ServiceEventType.Modified, Service = record }
                    : new ServiceEvent { Type = ServiceEventType.Deleted, Service = service }
                : durable.Record is not null && durable.Slices.FirstOrDefault(s => s.Name == e.Slice!.Name) is { } slice
                    ? new ServiceEvent { Type = ServiceEventType.Modified, Slice = SliceRecord(durable, slice) }
                    : new ServiceEvent { Type = ServiceEventType.Deleted, Slice = e.Slice }).ToList();
            await Feed.AppendAsync(fixes);
        }
        catch (Exception e)
        {
            LogResyncFailed(e, Key);
        }
    }
}
