using DistIpam.Api.V1;
using DistIpam.Testing;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// The exhaustion forecast in cluster mode: one silo samples the pools, and every silo answers
/// <c>Capacity.GetForecast</c> (what <c>usage --forecast</c> and the dashboard show) from the same
/// window, not from the one sample it could take itself.
/// </summary>
public sealed class ForecastTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetForecast_OnEverySilo_AnswersFromTheSampledWindow()
    {
        await using var cluster = await LocalCluster.StartAsync(2, "forecast", ["--DistIpam:Metrics:SampleInterval=00:00:00.500"]);
        var ipam = new Ipam.IpamClient(cluster.Silos[0].CreateChannel());
        var forecasts = cluster.Silos.Select(s => new Capacity.CapacityClient(s.CreateChannel())).ToList();
        var allocated = 0;

        await Poll.UntilAsync(
            async () =>
            {
                // Pods keep arriving, so the pool fills at a rate every silo must see.
                for (var i = 0; i < 5; i++, allocated++)
                {
                    await ipam.AllocateAsync(new AllocateRequest { Handle = new Handle { Network = "podnet", ContainerId = $"forecast-{allocated}", Interface = "eth0" }, Node = $"node-{allocated % 3}" });
                }

                var seen = new List<string>();
                for (var silo = 0; silo < forecasts.Count; silo++)
                {
                    var pool = (await forecasts[silo].GetForecastAsync(new GetForecastRequest())).Pools.Single(p => p.Pool == "pods-v4");
                    if (pool.WindowMs == 0 || pool.RatePerHour <= 0 || pool.SecondsToFull <= 0)
                    {
                        seen.Add($"silo {silo}: window {pool.WindowMs} ms, {pool.RatePerHour:0}/h, full in {pool.SecondsToFull:0} s");
                    }
                }

                return seen.Count == 0 ? null : string.Join("; ", seen);
            },
            Bound,
            "every silo's forecast of pods-v4 to have a window and a positive rate");
    }
}
