using System.Globalization;
using System.Net;
using DistIpam.Storage.Redis;
using DistIpam.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// The fenced cluster-mode storage against a real Redis holding a membership row written by a real
/// silo: writes succeed while the row says Active and are refused, changing nothing, once it says
/// Dead or is gone (docs/architecture.md, "Fencing"). Orleans' own Redis provider accepted them.
/// </summary>
public sealed class FencedRedisGrainStorageTests : IAsyncLifetime
{
    private const string ServiceId = "distipam";
    private static readonly GrainId Grain = GrainId.Create("block", "pods-v4|10.244.0.0/26");
    private readonly string _clusterId = $"fence-{Guid.NewGuid():N}";
    private RedisProcess _redis = null!;
    private bool _redisStopped;
    private ConnectionMultiplexer _connection = null!;
    private string _siloField = "";
    private string _activeRow = "";

    private string MembershipKey => $"{ServiceId}/members/{_clusterId}";

    private static string StateKey => $"{ServiceId}/state/{Grain}";

    public async Task InitializeAsync()
    {
        _redis = await RedisProcess.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);

        // A real silo writes its own membership row, so the test sees Orleans' format, not a guess.
        await using (var silo = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            Name = "fence-silo",
            Arguments = [$"--DistIpam:Redis={_redis.ConnectionString}", $"--DistIpam:ClusterId={_clusterId}", "--Logging:LogLevel:Orleans=Warning"],
        }))
        {
            var row = (await _connection.GetDatabase().HashGetAllAsync(MembershipKey))
                .Single(e => e.Name.ToString().Contains($":{silo.SiloPort.ToString(CultureInfo.InvariantCulture)}:", StringComparison.Ordinal));
            _siloField = row.Name.ToString();
            _activeRow = row.Value.ToString();
            silo.Kill();
        }

        // kill -9 leaves the row as it was: Active. Put it back in case the silo managed to say more.
        Assert.Contains("\"Status\":3", _activeRow, StringComparison.Ordinal);
        await _connection.GetDatabase().HashSetAsync(MembershipKey, _siloField, _activeRow);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        if (!_redisStopped)
        {
            await _redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task ListGrainIds_HandlesAmongOtherGrains_ListsExactlyTheStoredHandles()
    {
        var storage = await StorageAsync();
        var handles = new[] { GrainId.Create("handle", "podnet/c-1/eth0"), GrainId.Create("handle", "podnet/c-2/eth0") };
        foreach (var grain in handles.Append(Grain).Append(GrainId.Create("handlehistory", "podnet/c-1/eth0")))
        {
            await storage.WriteStateAsync("handle", grain, new GrainState<string> { State = "x" });
        }

        await storage.ClearStateAsync("handle", handles[1], await ReadAsync(storage, handles[1]));

        Assert.Equal([handles[0].ToString()], await storage.ListGrainIdsAsync("handle", "handle"));
    }

    private static async Task<GrainState<string>> ReadAsync(FencedRedisGrainStorage storage, GrainId grain)
    {
        var state = new GrainState<string>();
        await storage.ReadStateAsync("handle", grain, state);
        return state;
    }

    [Fact]
    public async Task Write_SiloActive_StoresStateAndNewEtag()
    {
        var storage = await StorageAsync();
        var state = new GrainState<string> { State = "first" };

        await storage.WriteStateAsync("block", Grain, state);

        var read = new GrainState<string>();
        await storage.ReadStateAsync("block", Grain, read);
        Assert.Equal("first", read.State);
        Assert.Equal(state.ETag, read.ETag);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task Write_SiloDeclaredDead_RefusedAndNothingChanges()
    {
        var storage = await StorageAsync();
        var state = new GrainState<string> { State = "before" };
        await storage.WriteStateAsync("block", Grain, state);
        var etag = state.ETag;

        // What the survivors write when they declare the silo dead.
        await _connection.GetDatabase().HashSetAsync(MembershipKey, _siloField, _activeRow.Replace("\"Status\":3", "\"Status\":6", StringComparison.Ordinal));
        state.State = "late write of a paused silo";

        await Assert.ThrowsAsync<StorageFencedException>(() => storage.WriteStateAsync("block", Grain, state));
        await Assert.ThrowsAsync<StorageFencedException>(() => storage.ClearStateAsync("block", Grain, state));
        var read = new GrainState<string>();
        await storage.ReadStateAsync("block", Grain, read);
        Assert.Equal("before", read.State);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task Write_SiloRowRemoved_Refused()
    {
        var storage = await StorageAsync();
        await _connection.GetDatabase().HashDeleteAsync(MembershipKey, _siloField);

        await Assert.ThrowsAsync<StorageFencedException>(() => storage.WriteStateAsync("block", Grain, new GrainState<string> { State = "x" }));
        Assert.False(await _connection.GetDatabase().KeyExistsAsync(StateKey));
    }

    [Fact]
    public async Task Write_StaleEtag_InconsistentStateAndNothingChanges()
    {
        var storage = await StorageAsync();
        var first = new GrainState<string> { State = "one" };
        await storage.WriteStateAsync("block", Grain, first);
        var stale = new GrainState<string> { State = "stale", ETag = first.ETag };
        await storage.WriteStateAsync("block", Grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("block", Grain, stale));
        var fresh = new GrainState<string> { State = "no etag, record exists" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("block", Grain, fresh));
    }

    [Fact]
    public async Task Clear_ThenStaleWrite_DeletedAndStaleRefused()
    {
        var storage = await StorageAsync();
        var state = new GrainState<string> { State = "held" };
        await storage.WriteStateAsync("block", Grain, state);
        var stale = new GrainState<string> { State = "stale", ETag = state.ETag };

        await storage.ClearStateAsync("block", Grain, state);

        Assert.False(await _connection.GetDatabase().KeyExistsAsync(StateKey));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("block", Grain, stale));
        Assert.False(await _connection.GetDatabase().KeyExistsAsync(StateKey));
    }

    [Fact]
    public async Task Write_RedisStopped_StorageUnavailable()
    {
        var storage = await StorageAsync();
        _redisStopped = true;
        await _redis.DisposeAsync();

        var failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.WriteStateAsync("block", Grain, new GrainState<string> { State = "x" }));

        // It crosses silo boundaries: with the Redis client's exception inside, the caller got
        // "Could not find a codec for type RedisConnectionException" (chaos soak, 15:34).
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(failure));
        Assert.IsType<StorageUnavailableException>(copy);
        Assert.Contains("Redis", copy.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The storage failures travel inside grain call failures to other silos: without a codec the
    /// caller got "Could not find a codec" (INTERNAL) instead of the outage (chaos finding F3).
    /// </summary>
    [Fact]
    public void StorageExceptions_CrossSiloBoundary_KeepTypeAndMessage()
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

        Exception[] failures = [new StorageFencedException("silo S1 is dead"), new StorageUnavailableException("Redis away")];

        foreach (var failure in failures)
        {
            var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(failure));
            Assert.IsType(failure.GetType(), copy);
            Assert.Equal(failure.Message, copy.Message);
        }
    }

    private async Task<FencedRedisGrainStorage> StorageAsync()
    {
        var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var configuration = ConfigurationOptions.Parse(_redis.ConnectionString);
        configuration.ConnectTimeout = 1000;
        configuration.AsyncTimeout = 1000;
        var storage = new FencedRedisGrainStorage(
            "ipam",
            new FencedRedisStorageOptions
            {
                ConfigurationOptions = configuration,
                GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()),
            },
            new ClusterOptions { ServiceId = ServiceId, ClusterId = _clusterId },
            new SiloDetails(ParseSilo(_siloField)),
            NullLogger<FencedRedisGrainStorage>.Instance);
        await storage.ConnectForTestsAsync();
        return storage;
    }

    private static SiloAddress ParseSilo(string field)
    {
        // "S127.0.0.1:30001:123456789": the silo's endpoint and generation.
        var parts = field.TrimStart('S').Split(':');
        return SiloAddress.New(new IPEndPoint(IPAddress.Parse(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture)), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private sealed class SiloDetails(SiloAddress address) : ILocalSiloDetails
    {
        public string Name => "fence-test";

        public string ClusterId => "";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => address;

        public SiloAddress GatewayAddress => address;
    }
}
