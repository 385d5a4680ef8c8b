namespace DistIpam.Grains.Services;

/// <summary>Endpoint upserts and removals.</summary>
public sealed partial class ServiceGrain
{
    /// <inheritdoc />
    public Task<ServiceSnapshot> UpsertEndpointsAsync(IReadOnlyList<EndpointRecord> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return ChangeEndpointsAsync(endpoints, []);
    }

    /// <inheritdoc />
    public Task<ServiceSnapshot> RemoveEndpointsAsync(IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return ChangeEndpointsAsync([], targets);
    }

    private async Task<ServiceSnapshot> ChangeEndpointsAsync(IReadOnlyList<EndpointRecord> upserts, IReadOnlyList<string> removals)
    {
        await PrepareAsync();
        if (state.State.Record is null)
        {
            throw NotFound();
        }

        var current = state.State;
        var next = current.Clone();
        var change = SliceAssigner.Apply(next, Name, upserts, removals, Math.Max(1, options.Value.MaxEndpointsPerSlice));
        if (change.IsEmpty)
        {
            return Snapshot()!;
        }

        var events = new List<ServiceEvent>();
        events.AddRange(change.Added.Select(n => new ServiceEvent { Type = ServiceEventType.Added, Slice = SliceRecord(next, next.Slices.First(s => s.Name == n)) }));
        events.AddRange(change.Modified.Select(n => new ServiceEvent { Type = ServiceEventType.Modified, Slice = SliceRecord(next, next.Slices.First(s => s.Name == n)) }));
        events.AddRange(change.Deleted.Select(n => new ServiceEvent { Type = ServiceEventType.Deleted, Slice = SliceRecord(current, current.Slices.First(s => s.Name == n)) }));
        await CommitAsync(next, events, delete: false);
        return Snapshot()!;
    }
}
