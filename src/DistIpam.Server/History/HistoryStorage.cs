using DistIpam.Server.Hosting;
using DistIpam.Storage.Redis;
using DistIpam.Storage.Sqlite;
using StackExchange.Redis;

namespace DistIpam.Server.History;

/// <summary>
/// The history grains' own storage provider: in embedded mode a second SQLite file, so history
/// writes never queue in front of an ADD's block write in the IPAM store's group commit; in
/// cluster mode the same fenced Redis as the IPAM state.
/// </summary>
public static class HistoryStorage
{
    /// <summary>The provider name.</summary>
    public const string Name = "history";

    /// <summary>The SQLite file inside the data directory (embedded mode).</summary>
    public const string DatabaseFile = "distipam-history.db";

    /// <summary>Registers the provider.</summary>
    public static void Configure(ISiloBuilder silo, DistIpamOptions options, string dataDir)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsClusterMode)
        {
            var redis = ConfigurationOptions.Parse(options.Redis!);
            silo.Services.AddFencedRedisGrainStorage(Name, o => o.ConfigurationOptions = redis.Clone());
            return;
        }

        silo.AddSqliteGrainStorage(Name, o =>
        {
            o.DataSource = Path.Combine(dataDir, DatabaseFile);
            // A handle history that forgot its last event deletes its row (bounded storage).
            o.DeleteStateOnClear = true;
        });
    }
}
