using Microsoft.Extensions.DependencyInjection;

using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite.Tests;

/// <summary>
/// The storage as a silo would build it (same registration, keyed service, Orleans serializer) but
/// without a silo, so a test can open, close and reopen one file quickly.
/// </summary>
public sealed class StorageHost : IAsyncDisposable
{
    public const string ProviderName = "sqlite-test";
    public const string StateName = "test-state";

    private readonly ServiceProvider _services;

    private StorageHost(ServiceProvider services)
    {
        _services = services;
        Storage = (SqliteGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(ProviderName);
    }

    public SqliteGrainStorage Storage { get; }

    public static StorageHost Open(string filePath, Action<SqliteGrainStorageOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer(serializer => serializer.AddAssembly(typeof(TestState).Assembly));
        services.AddSqliteGrainStorage(ProviderName, options =>
        {
            options.DataSource = filePath;
            configure?.Invoke(options);
        });
        return new StorageHost(services.BuildServiceProvider(validateScopes: true));
    }

    public static GrainId Key(string key) => GrainId.Create("test", key);

    public async Task<GrainState<TestState>> ReadAsync(string key)
    {
        var state = new GrainState<TestState>();
        await Storage.ReadStateAsync(StateName, Key(key), state);
        return state;
    }

    public async Task<GrainState<TestState>> WriteAsync(string key, int value, string? eTag = null)
    {
        var state = new GrainState<TestState>(new TestState { Value = value, Text = $"value {value}" }, eTag);
        await Storage.WriteStateAsync(StateName, Key(key), state);
        return state;
    }

    /// <summary>Stops the storage (draining its writer) and releases the file, as a silo shutdown does.</summary>
    public async ValueTask DisposeAsync() => await _services.DisposeAsync();
}
