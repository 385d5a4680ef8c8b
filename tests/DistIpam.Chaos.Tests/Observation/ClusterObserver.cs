using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Model;

namespace DistIpam.Chaos.Tests.Observation;

/// <summary>Takes an <see cref="ObservedState"/> of the handles a model knows.</summary>
internal sealed class ClusterObserver(ChaosClient client, StoredStateReader? storage, IReadOnlyDictionary<string, PoolView> pools, IReadOnlyList<string> podPools)
{
    /// <summary>The pools by name (from ListPools at the start of the run).</summary>
    public IReadOnlyDictionary<string, PoolView> Pools => pools;

    /// <summary>Reads the pools through the API.</summary>
    public static async Task<IReadOnlyDictionary<string, PoolView>> ReadPoolsAsync(ChaosClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var listed = await client.CallAsync("ListPools", 0, (c, o) => new Pools.PoolsClient(c).ListPoolsAsync(new ListPoolsRequest(), o).ResponseAsync);
        return listed.Reply.Pools.ToDictionary(p => p.Name, PoolView.From, StringComparer.Ordinal);
    }

    /// <summary>Looks at every handle in <paramref name="handles"/> and at the pools.</summary>
    public async Task<ObservedState> ObserveAsync(IReadOnlyList<HandleSnapshot> handles, IReadOnlyCollection<HandleModel> models)
    {
        ArgumentNullException.ThrowIfNull(handles);
        ArgumentNullException.ThrowIfNull(models);
        var byKey = models.ToDictionary(m => m.Key, StringComparer.Ordinal);
        var checks = await Task.WhenAll(handles.Select((h, i) => CheckAsync(h, byKey[h.Key].Handle, i)));
        var stored = storage is null ? [] : await storage.ReadBlocksAsync();
        var claims = new List<BlockInfo>();
        foreach (var pool in podPools)
        {
            var listed = await client.CallAsync("ListBlocks", 0, (c, o) => new Pools.PoolsClient(c).ListBlocksAsync(new ListBlocksRequest { Pool = pool }, o).ResponseAsync);
            claims.AddRange(listed.Value?.Blocks ?? []);
        }

        var consistency = await client.CallAsync("CheckConsistency", 1, (c, o) => new Pools.PoolsClient(c).CheckConsistencyAsync(new CheckConsistencyRequest(), o).ResponseAsync);
        var usage = await client.CallAsync("GetUsage", 2, (c, o) => new Pools.PoolsClient(c).GetUsageAsync(new GetUsageRequest(), o).ResponseAsync);
        return new ObservedState(
            checks.ToDictionary(c => c.Key, StringComparer.Ordinal),
            stored,
            claims,
            consistency.Value,
            [.. usage.Value?.Nodes ?? []],
            pools);
    }

    private async Task<HandleObservation> CheckAsync(HandleSnapshot snapshot, Handle handle, int index)
    {
        var request = new CheckRequest { Handle = handle };
        if (snapshot.Status == HandleStatus.Held)
        {
            request.ExpectedAddresses.AddRange(snapshot.Addresses);
        }

        var outcome = await client.CallAsync("Check", index, (c, o) => new Ipam.IpamClient(c).CheckAsync(request, o).ResponseAsync);
        return HandleObservation.From(snapshot.Key, outcome);
    }
}
