using System.Text;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;
using StackExchange.Redis;

namespace DistIpam.Storage.Redis;

/// <summary>
/// Orleans grain storage on Redis for cluster mode. Every write and clear is ETag-checked and fenced:
/// one server-side script refuses it when the writing silo is dead (or absent) in the Orleans
/// membership table, so a silo that was paused past its death declaration and resumes with requests
/// queued cannot change anything (docs/architecture.md, "Fencing"). Cleared state is deleted; a
/// stale activation (non-empty ETag) finds no record and fails, so deleting is safe.
/// </summary>
/// <remarks>
/// Layout: key <c>{ServiceId}/state/{GrainId}</c>, a hash with <c>etag</c> and <c>data</c> (the
/// serializer's raw bytes). The state key and the membership key must live on one Redis server (a
/// script touches both; Redis Cluster would need a hash tag).
/// </remarks>
public sealed partial class FencedRedisGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly RedisValue EtagField = "etag";
    private static readonly RedisValue DataField = "data";
    private static readonly RedisValue[] Fields = [EtagField, DataField];

    private readonly string _name;
    private readonly FencedRedisStorageOptions _options;
    private readonly ILocalSiloDetails _silo;
    private readonly ILogger<FencedRedisGrainStorage> _logger;
    private readonly string _keyPrefix;
    private readonly RedisKey _membershipKey;
    private IConnectionMultiplexer? _connection;

    /// <summary>Creates the provider; it connects when the silo starts.</summary>
    public FencedRedisGrainStorage(
        string name,
        FencedRedisStorageOptions options,
        ClusterOptions cluster,
        ILocalSiloDetails silo,
        ILogger<FencedRedisGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        _name = name;
        _options = options;
        _silo = silo;
        _logger = logger;
        _keyPrefix = $"{cluster.ServiceId}/state/";
        _membershipKey = options.MembershipKey ?? $"{cluster.ServiceId}/members/{cluster.ClusterId}";
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(OptionFormattingUtilities.Name<FencedRedisGrainStorage>(_name), ServiceLifecycleStage.ApplicationServices, ConnectAsync, CloseAsync);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(grainId);
        RedisValue[] values;
        try
        {
            values = await Database().HashGetAsync(key, Fields).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw Unavailable($"reading {grainId} from Redis failed", e);
        }

        if (values[0].IsNull || values[1].IsNull)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = _options.GrainStorageSerializer.Deserialize<T>(new BinaryData((byte[])values[1]!));
        grainState.ETag = values[0].ToString();
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var etag = Guid.NewGuid().ToString("N");
        var payload = _options.GrainStorageSerializer.Serialize(grainState.State).ToArray();
        await RunAsync(grainId, grainState.ETag, etag, payload, clear: false).ConfigureAwait(false);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        await RunAsync(grainId, grainState.ETag, "", [], clear: true).ConfigureAwait(false);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task RunAsync(GrainId grainId, string? expected, string etag, byte[] payload, bool clear)
    {
        RedisResult result;
        try
        {
            result = await Database().ScriptEvaluateAsync(
                FencedWriteScript.Source,
                [KeyOf(grainId), _membershipKey],
                [expected ?? "", etag, payload, _silo.SiloAddress.ToString(), clear ? "clear" : "write"]).ConfigureAwait(false);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            // The script may or may not have run: the caller must treat the outcome as unknown.
            throw Unavailable($"writing {grainId} to Redis failed, outcome unknown", e);
        }

        switch ((long)result)
        {
            case FencedWriteScript.Written:
                return;
            case FencedWriteScript.EtagMismatch:
                throw new InconsistentStateException(
                    $"version conflict writing {grainId}: another activation wrote it since this one read it (ETag {expected ?? "none"})");
            default:
                LogFenced(_silo.SiloAddress.ToString(), grainId.ToString());
                throw new StorageFencedException(
                    $"silo {_silo.SiloAddress} is not alive in the membership table: the write of {grainId} was refused (fenced)");
        }
    }

    private IDatabase Database() =>
        (_connection ?? throw new StorageUnavailableException($"Redis grain storage '{_name}' is not connected yet")).GetDatabase();

    /// <summary>
    /// The stored grain ids ("type/key") whose grain type is <paramref name="grainType"/> (the state
    /// name is not part of the layout: one state per grain type), found with SCAN, which never blocks
    /// the server: the server's consistency check finds records no block points to.
    /// </summary>
    public async Task<List<string>> ListGrainIdsAsync(string stateName, string grainType)
    {
        ArgumentNullException.ThrowIfNull(grainType);
        var prefix = _keyPrefix + grainType + "/";
        var pattern = EscapeGlob(prefix) + "*";
        var ids = new List<string>();
        try
        {
            var connection = _connection ?? throw new StorageUnavailableException($"Redis grain storage '{_name}' is not connected yet");
            foreach (var server in connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
            {
                await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000).ConfigureAwait(false))
                {
                    ids.Add(((string)key!)[_keyPrefix.Length..]);
                }
            }
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            throw Unavailable($"listing the stored {grainType} grains in Redis failed", e);
        }

        return ids;
    }

    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    private RedisKey KeyOf(GrainId grainId) => Encoding.UTF8.GetBytes(_keyPrefix + grainId.ToString());

    /// <summary>
    /// The Redis client's exception is described, not wrapped: this failure travels to other silos
    /// inside grain call failures, and StackExchange.Redis' exception types have no Orleans codec.
    /// </summary>
    private static StorageUnavailableException Unavailable(string what, Exception cause) =>
        new($"{what}: {cause.GetType().Name}: {cause.Message}");

    private static bool IsRedisFailure(Exception e) =>
        e is RedisException or TimeoutException or ObjectDisposedException;

    /// <summary>Connects outside a silo lifecycle (tests that use the provider directly).</summary>
    internal Task ConnectForTestsAsync() => ConnectAsync(CancellationToken.None);

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var configuration = (_options.ConfigurationOptions
            ?? throw new OrleansConfigurationException($"Redis grain storage '{_name}' needs ConfigurationOptions")).Clone();

        // Keep reconnecting through a Redis restart instead of failing for good.
        configuration.AbortOnConnectFail = false;
        _connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connection)
        {
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Silo {Silo} is not alive in the membership table: write of {Grain} refused (fenced)")]
    private partial void LogFenced(string silo, string grain);
}
