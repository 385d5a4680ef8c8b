using DistIpam.Grains;
using DistIpam.Grains.Persistence;
using DistIpam.Storage.Sqlite;

namespace DistIpam.Server.Hosting;

/// <summary>Configures the Orleans silo for the embedded default: one silo, SQLite state.</summary>
public static class SiloConfiguration
{
    /// <summary>The SQLite file inside the data directory.</summary>
    public const string DatabaseFile = "distipam.db";

    /// <summary>Applies the embedded configuration.</summary>
    public static void ConfigureEmbedded(ISiloBuilder silo, DistIpamOptions options, string dataDir, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        silo.AddSqliteGrainStorage(StorageNames.Ipam, o => o.DataSource = Path.Combine(dataDir, DatabaseFile));
        silo.Services.Configure<IpamGrainOptions>(configuration.GetSection($"{DistIpamOptions.Section}:Grains"));
        silo.Services.AddSingleton(TimeProvider.System);
    }
}
