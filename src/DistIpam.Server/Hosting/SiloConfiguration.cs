using System.Net;
using DistIpam.Grains;
using DistIpam.Grains.Persistence;
using DistIpam.Storage.Redis;
using DistIpam.Storage.Sqlite;
using Orleans.Configuration;
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
                o.UnsafeLoseCommitReplyEvery = configuration.GetValue<int>($"{DistIpamOptions.Section}:Sqlite:{nameof(o.UnsafeLoseCommitReplyEvery)}");
            });
        }

        silo.Services.Configure<IpamGrainOptions>(configuration.GetSection($"{DistIpamOptions.Section}:Grains"));
        silo.Services.Configure<DistIpam.Grains.Services.ServiceOptions>(configuration.GetSection($"{DistIpamOptions.Section}:Services"));
        silo.Services.AddSingleton(TimeProvider.System);
        silo.AddIncomingGrainCallFilter<Errors.GrainFailureLogFilter>();
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
        // Fenced: a write of a silo the membership table no longer lists as alive is refused in the
        // same Redis script that checks the ETag (docs/architecture.md, "Fencing").
        silo.Services.AddFencedRedisGrainStorage(StorageNames.Ipam, o => o.ConfigurationOptions = redis.Clone());
        silo.Configure<ClusterMembershipOptions>(MembershipTuning.Apply);
        if (options.SiloTls.Enabled)
        {
            Security.SiloTls.Apply(silo, options.SiloTls);
        }
    }
}
