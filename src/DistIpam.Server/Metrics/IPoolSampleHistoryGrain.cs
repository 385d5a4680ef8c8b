using System.Collections.Immutable;

namespace DistIpam.Server.Metrics;

/// <summary>
/// The forecast window's pool samples, shared by the cluster (one activation, key
/// <see cref="Key"/>, in memory only): the silo that samples (the oldest, <see cref="PoolSampler"/>)
/// publishes each round, so <c>usage --forecast</c> and the dashboard answer the same on every
/// silo, and a silo that takes over sampling starts from the window it finds here.
/// </summary>
public interface IPoolSampleHistoryGrain : IGrainWithStringKey
{
    /// <summary>The one key.</summary>
    const string Key = "pools";

    /// <summary>Replaces the window with <paramref name="history"/> (per pool, oldest first).</summary>
    Task PublishAsync(ImmutableDictionary<string, ImmutableList<PoolSample>> history);

    /// <summary>The last published window; empty until a silo publishes.</summary>
    Task<ImmutableDictionary<string, ImmutableList<PoolSample>>> GetAsync();
}
