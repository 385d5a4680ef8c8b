using DistIpam.Grains.Persistence;

namespace DistIpam.Grains.Services;

/// <summary>A sealed run of feed events; see <see cref="IServiceFeedSegmentGrain"/>.</summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed class ServiceFeedSegmentGrain(
    [PersistentState("feed-segment", StorageNames.Ipam)] IPersistentState<ServiceFeedSegmentState> state) : Grain, IServiceFeedSegmentGrain
{
    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<ServiceEvent> events)
    {
        state.State.Events = [.. events];
        try
        {
            await state.WriteStateAsync().OrUnavailableAsync($"service feed segment {this.GetPrimaryKeyLong()}");
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ServiceEvent>> ReadAsync() => Task.FromResult<IReadOnlyList<ServiceEvent>>(state.State.Events);

    /// <inheritdoc />
    public async Task ClearAsync()
    {
        try
        {
            await state.ClearStateAsync().OrUnavailableAsync($"service feed segment {this.GetPrimaryKeyLong()}");
        }
        finally
        {
            DeactivateOnIdle();
        }
    }
}
