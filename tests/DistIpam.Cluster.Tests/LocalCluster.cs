using System.Globalization;
using DistIpam.Testing;

namespace DistIpam.Cluster.Tests;

/// <summary>Redis plus N silos in cluster mode on loopback, each on its own free ports.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private LocalCluster(RedisProcess redis, IReadOnlyList<ServerProcess> silos)
    {
        Redis = redis;
        Silos = silos;
    }

    /// <summary>The Redis server holding membership and grain state.</summary>
    public RedisProcess Redis { get; }

    /// <summary>The silos, in start order.</summary>
    public IReadOnlyList<ServerProcess> Silos { get; }

    /// <summary>Starts Redis and <paramref name="count"/> silos and waits until every silo is ready.</summary>
    public static async Task<LocalCluster> StartAsync(int count, string name)
    {
        var redis = await RedisProcess.StartAsync();
        var clusterId = $"{name}-{Guid.NewGuid():N}";
        var silos = new List<ServerProcess>();
        try
        {
            // One at a time: the first silo creates the membership table and bootstraps the pools.
            for (var i = 0; i < count; i++)
            {
                silos.Add(await ServerProcess.StartAsync(new ServerProcessOptions
                {
                    Name = $"{name}-silo{i.ToString(CultureInfo.InvariantCulture)}",
                    Arguments =
                    [
                        $"--DistIpam:Redis={redis.ConnectionString}",
                        $"--DistIpam:ClusterId={clusterId}",
                        "--Logging:LogLevel:Orleans=Warning",
                    ],
                }));
            }
        }
        catch
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }

        return new LocalCluster(redis, silos);
    }

    /// <summary>A client that spreads calls over every silo and retries retryable failures.</summary>
    public RetryingIpamClient CreateClient() => new(Silos);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
