using System.Net;
using DistIpam.Grains;
using DistIpam.Grains.Persistence;
using DistIpam.Storage.Sqlite;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace DistIpam.Server.Hosting;

/// <summary>
/// Configures the Orleans silo: the embedded default (one silo, SQLite) or cluster mode (Redis
/// membership and Redis grain state) when <see cref="DistIpamOptions.Redis"/> is set.
/// </summary>
public static class SiloConfiguration
{
    /// <summary>The SQLite file inside the data directory.</summary>
    public const string DatabaseFile = "distipam.db";

    /// <summary>Applies the configuration the options select.</summary>
    public static void Configure(ISiloBuilder silo, DistIpamOptions options, string dataDir, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (options.IsClusterMode)
        {
            ConfigureCluster(silo, options);
        }
        else
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.AddSqliteGrainStorage(StorageNames.Ipam, o =>
            {
                o.DataSource = Path.Combine(dataDir, DatabaseFile);

                // Every released handle clears its state: delete the row so churn does not grow the
                // file forever. Safe with ETags: a stale activation (non-null ETag) finds no row and
                // fails its write; two fresh activations race on one insert and only one wins.
                o.DeleteStateOnClear = true;
            });
        }

        silo.Services.Configure<IpamGrainOptions>(configuration.GetSection($"{DistIpamOptions.Section}:Grains"));
        silo.Services.Configure<DistIpam.Grains.Services.ServiceOptions>(configuration.GetSection($"{DistIpamOptions.Section}:Services"));
        silo.Services.AddSingleton(TimeProvider.System);
    }

    private static void ConfigureCluster(ISiloBuilder silo, DistIpamOptions options)
    {
        var redis = ConfigurationOptions.Parse(options.Redis!);
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort);
        silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
        silo.AddRedisGrainStorage(StorageNames.Ipam, builder => builder.Configure<IServiceProvider>((o, services) =>
        {
            o.ConfigurationOptions = redis.Clone();

            // Keep cleared state as an (empty) record: Orleans' Redis write script accepts any ETag
            // for a missing key, so deleting would let a stale activation resurrect it.
            o.DeleteStateOnClear = false;

            // Orleans' binary format from [GenerateSerializer]/[Id] types, as in the embedded store:
            // no JSON type names in stored state.
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        }));
        silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
    }
}
