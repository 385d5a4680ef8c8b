using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Metrics;

/// <summary>The exhaustion forecast over gRPC (see capacity.proto).</summary>
public sealed class CapacityService(PoolSampler sampler, TimeProvider time) : Capacity.CapacityBase
{
    /// <inheritdoc />
    public override async Task<GetForecastResponse> GetForecast(GetForecastRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var set = request.SampleNow || sampler.Current.Pools.IsEmpty ? await sampler.SampleAsync() : sampler.Current;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var response = new GetForecastResponse();
        foreach (var pool in set.Pools)
        {
            var history = set.History.GetValueOrDefault(pool.Pool, []);
            var seconds = Forecast.SecondsToFull(history);
            response.Pools.Add(new PoolForecast
            {
                Pool = pool.Pool,
                Size = pool.Size,
                Reserved = pool.Reserved,
                InUse = pool.InUse,
                Cooldown = pool.Cooling,
                Stranded = pool.Stranded,
                Borrowed = pool.Borrowed,
                Allocatable = pool.Allocatable,
                RatePerHour = Forecast.RatePerSecond(history) * 3600,
                SecondsToFull = double.IsInfinity(seconds) ? -1 : seconds,
                FullAtUnixMs = double.IsInfinity(seconds) ? 0 : now + (long)Math.Min(seconds * 1000, long.MaxValue / 2),
                WindowMs = history.Count < 2 ? 0 : history[^1].AtUnixMs - history[0].AtUnixMs,
            });
        }

        return response;
    }
}
