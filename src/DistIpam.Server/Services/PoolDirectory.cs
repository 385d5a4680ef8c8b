using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;

namespace DistIpam.Server.Services;

/// <summary>
/// This silo's short-lived copy of the pool list, so validating an Allocate does not call the
/// single catalog grain every time. Changes made through this silo are seen at once; changes made
/// through another silo within <see cref="Ttl"/>.
/// </summary>
public sealed class PoolDirectory(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a copy is trusted.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    private (IReadOnlyDictionary<string, PoolDefinition> Pools, DateTimeOffset At)? _cache;

    /// <summary>Every pool by name.</summary>
    public async Task<IReadOnlyDictionary<string, PoolDefinition>> AllAsync()
    {
        if (_cache is { } cached && time.GetUtcNow() - cached.At < Ttl)
        {
            return cached.Pools;
        }

        var list = await grains.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key).ListAsync();
        var pools = list.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _cache = (pools, time.GetUtcNow());
        return pools;
    }

    /// <summary>One pool; <c>NotFound</c> naming it if absent.</summary>
    public async Task<PoolDefinition> GetAsync(string name) =>
        (await AllAsync()).TryGetValue(name, out var pool)
            ? pool
            : throw new IpamGrainException(IpamErrorKind.NotFound, $"pool '{name}' does not exist");

    /// <summary>Drops the copy after a change made through this silo.</summary>
    public void Invalidate() => _cache = null;
}
