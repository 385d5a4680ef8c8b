using System.Collections.Immutable;

namespace DistIpam.Server.Metrics;

/// <summary>
/// See <see cref="IPoolSampleHistoryGrain"/>. Not persisted: a lost window costs the forecast its
/// history (it rebuilds over the next window), never an address.
/// </summary>
public sealed class PoolSampleHistoryGrain : Grain, IPoolSampleHistoryGrain
{
    private ImmutableDictionary<string, ImmutableList<PoolSample>> _history = ImmutableDictionary<string, ImmutableList<PoolSample>>.Empty;

    /// <inheritdoc />
    public Task PublishAsync(ImmutableDictionary<string, ImmutableList<PoolSample>> history)
    {
        _history = history ?? throw new ArgumentNullException(nameof(history));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ImmutableDictionary<string, ImmutableList<PoolSample>>> GetAsync() => Task.FromResult(_history);
}
