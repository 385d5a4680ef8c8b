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

    private MembershipTable(ConnectionMultiplexer redis) => _redis = redis;

    /// <summary>Connects to the cluster's Redis.</summary>
    public static async Task<MembershipTable> ConnectAsync(RedisProcess redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        return new MembershipTable(await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString));
    }

    /// <summary>
    /// The status of the newest generation of the silo listening on <paramref name="siloPort"/>, with
    /// its address, or null when it has no row. The test's Redis holds one cluster, so one table.
    /// </summary>
    public async Task<(string Address, int Status)?> NewestRowAsync(int siloPort)
    {
        var database = _redis.GetDatabase();
        var server = _redis.GetServers()[0];
        var marker = $":{siloPort.ToString(CultureInfo.InvariantCulture)}:";
        (string Address, int Status, long Generation)? newest = null;
        await foreach (var key in server.KeysAsync(pattern: "*/members/*"))
        {
            foreach (var entry in await database.HashGetAllAsync(key))
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
        }

        return newest is { } found ? (found.Address, found.Status) : null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
