using DistIpam.Core.Addressing;
using DistIpam.Grains.Blocks;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace DistIpam.Chaos.Tests.Observation;

/// <summary>
/// Reads every block's stored state straight from Redis, bypassing the silos: the grain-storage
/// layout is key <c>{ServiceId}/state/{GrainId}</c> (Orleans' own provider appends
/// <c>/{state name}</c>), a hash whose <c>data</c> field holds the Orleans binary serialization of
/// <see cref="BlockState"/>.
/// </summary>
internal sealed class StoredStateReader : IAsyncDisposable
{
    private const int ScanPageSize = 500;
    private readonly ConnectionMultiplexer _redis;
    private readonly ServiceProvider _services;
    private readonly Serializer _serializer;
    private readonly string _blockPrefix;

    private StoredStateReader(ConnectionMultiplexer redis, string serviceId)
    {
        _redis = redis;
        _services = new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(BlockState).Assembly).AddAssembly(typeof(BlockSettings).Assembly))
            .BuildServiceProvider();
        _serializer = _services.GetRequiredService<Serializer>();
        _blockPrefix = $"{serviceId}/state/block/";
    }

    /// <summary>Connects to Redis at <paramref name="connectionString"/>.</summary>
    public static async Task<StoredStateReader> ConnectAsync(string connectionString, string serviceId)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.SyncTimeout = 10_000;
        options.AsyncTimeout = 10_000;
        return new StoredStateReader(await ConnectionMultiplexer.ConnectAsync(options), serviceId);
    }

    /// <summary>Every stored block (claimed or not) with its allocations.</summary>
    public async Task<IReadOnlyList<StoredBlockView>> ReadBlocksAsync()
    {
        var server = _redis.GetServers()[0];
        var database = _redis.GetDatabase();
        var blocks = new List<StoredBlockView>();
        await foreach (var key in server.KeysAsync(pattern: _blockPrefix + "*", pageSize: ScanPageSize))
        {
            var data = await database.HashGetAsync(key, "data");
            if (data.IsNullOrEmpty)
            {
                continue;
            }

            var (pool, block) = ParseKey(key.ToString());
            var state = _serializer.Deserialize<BlockState>((byte[])data!) ?? new BlockState();
            blocks.Add(View(pool, block, state));
        }

        return blocks;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static StoredBlockView View(string pool, string block, BlockState state)
    {
        var prefix = IpPrefix.Parse(block);
        var allocations = state.Allocations
            .Select(a => new StoredAllocationView(pool, block, prefix.AddressAt((UInt128)a.Offset).ToString(), a.HandleId, a.Sequence, a.Pod.Node))
            .ToList();
        return new StoredBlockView(pool, block, state.Settings?.Owner, allocations);
    }

    /// <summary>"…/state/block/pods-v4|10.244.0.0/26" (new layout) or "…|10.244.0.0/26/state" (Orleans' provider).</summary>
    private (string Pool, string Block) ParseKey(string key)
    {
        var grainKey = key[_blockPrefix.Length..];
        var bar = grainKey.IndexOf('|', StringComparison.Ordinal);
        var pool = grainKey[..bar];
        var cidr = grainKey[(bar + 1)..];
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        var end = cidr.IndexOf('/', slash + 1);
        return (pool, end < 0 ? cidr : cidr[..end]);
    }
}
