using System.Globalization;
using System.Text.Json;
using DistIpam.Testing;
using StackExchange.Redis;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// Reads the Orleans membership table straight from Redis (the hash <c>{ServiceId}/members/{ClusterId}</c>,
/// one JSON row per silo generation), to see what the cluster decided about a silo.
/// </summary>
public sealed class MembershipTable : IAsyncDisposable
{
    /// <summary>Orleans' SiloStatus.Active.</summary>
    public const int Active = 3;

    /// <summary>Orleans' SiloStatus.Dead.</summary>
    public const int Dead = 6;

    private readonly ConnectionMultiplexer _redis;
    private readonly RedisKey _key;

    private MembershipTable(ConnectionMultiplexer redis, RedisKey key)
    {
        _redis = redis;
        _key = key;
    }

    /// <summary>Connects to the cluster's Redis.</summary>
    public static async Task<MembershipTable> ConnectAsync(LocalCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis.ConnectionString);
        return new MembershipTable(redis, $"{cluster.ServiceId}/members/{cluster.ClusterId}");
    }

    /// <summary>
    /// The status of the newest generation of the silo listening on <paramref name="siloPort"/>, with
    /// its address, or null when it has no row.
    /// </summary>
    public async Task<(string Address, int Status)?> NewestRowAsync(int siloPort)
    {
        var marker = $":{siloPort.ToString(CultureInfo.InvariantCulture)}:";
        (string Address, int Status, long Generation)? newest = null;
        foreach (var entry in await _redis.GetDatabase().HashGetAllAsync(_key))
        {
            var field = entry.Name.ToString();
            if (!field.Contains(marker, StringComparison.Ordinal))
            {
                continue;
            }

            var generation = long.Parse(field[(field.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            using var row = JsonDocument.Parse(entry.Value.ToString());
            var status = row.RootElement.GetProperty("Status").GetInt32();
            if (newest is null || generation > newest.Value.Generation)
            {
                newest = (field, status, generation);
            }
        }

        return newest is { } found ? (found.Address, found.Status) : null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
