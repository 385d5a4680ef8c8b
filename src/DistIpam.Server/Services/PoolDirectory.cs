using System.Collections.Frozen;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;

namespace DistIpam.Server.Services;

/// <summary>
/// This silo's short-lived copy of the pool list, so validating an Allocate does not call the
/// single catalog grain every time. Changes made through this silo are seen at once; changes made
/// through another silo within <see cref="Ttl"/>.
/// Shared by every request thread: the copy is one immutable snapshot swapped by reference, never
/// mutated in place, so a reader sees a whole list and its age together. A refresh that started
/// before an <see cref="Invalidate"/> does not install what it read (it may predate the change).
/// </summary>
public sealed class PoolDirectory(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a copy is trusted.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    // Never null: an invalidated directory holds a fresh, already-expired snapshot, so a refresh
    // can tell by reference whether anything happened since it started.
    private Snapshot _snapshot = Snapshot.Expired();

    /// <summary>Every pool by name.</summary>
    public async Task<IReadOnlyDictionary<string, PoolDefinition>> AllAsync()
    {
        var seen = Volatile.Read(ref _snapshot);
        if (seen.FetchedAt is { } at && time.GetUtcNow() - at < Ttl)
        {
            return seen.Pools;
        }

        var fetchedAt = time.GetUtcNow();
        var list = await grains.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key).ListAsync();
        var fresh = new Snapshot(list.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal), fetchedAt);
        Interlocked.CompareExchange(ref _snapshot, fresh, seen);
        return fresh.Pools;
    }

    /// <summary>One pool; <c>NotFound</c> naming it if absent.</summary>
    public async Task<PoolDefinition> GetAsync(string name) =>
        (await AllAsync()).TryGetValue(name, out var pool)
            ? pool
            : throw new IpamGrainException(IpamErrorKind.NotFound, $"pool '{name}' does not exist");

    /// <summary>Drops the copy after a change made through this silo.</summary>
    public void Invalidate() => Volatile.Write(ref _snapshot, Snapshot.Expired());

    private sealed class Snapshot(IReadOnlyDictionary<string, PoolDefinition> pools, DateTimeOffset? fetchedAt)
    {
        public IReadOnlyDictionary<string, PoolDefinition> Pools { get; } = pools;

        public DateTimeOffset? FetchedAt { get; } = fetchedAt;

        public static Snapshot Expired() => new(FrozenDictionary<string, PoolDefinition>.Empty, null);
    }
}
