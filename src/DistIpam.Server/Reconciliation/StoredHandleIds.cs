using DistIpam.Grains.Persistence;
using DistIpam.Storage.Redis;
using DistIpam.Storage.Sqlite;
using Orleans.Storage;

namespace DistIpam.Server.Reconciliation;

/// <summary>
/// The handles that have a stored record, read from the IPAM storage itself (SQLite or Redis). The
/// consistency check finds handles through the blocks' allocations; a handle whose record names
/// addresses no block holds any more would be invisible that way, and its pod would keep an
/// address the pool may hand to another (docs/operations.md, "handle-without-addresses").
/// </summary>
public sealed class StoredHandleIds(IServiceProvider services)
{
    // The handle grain's [PersistentState] name and its grain type (HandleGrain -> "handle").
    private const string StateName = "handle";
    private const string GrainType = "handle";

    /// <summary>Every stored handle key (network/container/interface); a released handle's record is deleted.</summary>
    public async Task<IReadOnlyList<string>> ListAsync()
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Ipam);
        var ids = storage switch
        {
            SqliteGrainStorage sqlite => await sqlite.ListGrainIdsAsync(StateName, GrainType),
            FencedRedisGrainStorage redis => await redis.ListGrainIdsAsync(StateName, GrainType),
            _ => throw new NotSupportedException($"IPAM storage {storage.GetType().Name} cannot list its grains"),
        };
        return [.. ids.Select(id => id[(GrainType.Length + 1)..])];
    }
}
