using DistIpam.Grains.Persistence;

namespace DistIpam.Grains.Services;

/// <summary>The list of service keys; see <see cref="IServiceIndexGrain"/>. Not reentrant: one write per change.</summary>
public sealed class ServiceIndexGrain(
    [PersistentState("service-index", StorageNames.Ipam)] IPersistentState<ServiceIndexState> state) : Grain, IServiceIndexGrain
{
    /// <inheritdoc />
    public async Task AddAsync(string serviceKey)
    {
        if (state.State.Keys.Add(serviceKey))
        {
            await WriteAsync();
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string serviceKey)
    {
        if (state.State.Keys.Remove(serviceKey))
        {
            await WriteAsync();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string serviceNamespace)
    {
        var prefix = string.IsNullOrEmpty(serviceNamespace) ? "" : serviceNamespace + "/";
        IReadOnlyList<string> keys = [.. state.State.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        return Task.FromResult(keys);
    }

    private async Task WriteAsync()
    {
        try
        {
            await state.WriteStateAsync().OrUnavailableAsync("the service index");
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }
}
