using DistIpam.Grains.Persistence;
using DistIpam.Grains.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace DistIpam.Services.Tests.Grains;

/// <summary>A one-silo in-process cluster on <see cref="FaultyGrainStorage"/>, for write-failure tests.</summary>
public sealed class FaultyServiceClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    /// <summary>The storage every grain of the cluster uses.</summary>
    public FaultyGrainStorage Storage { get; } = new();

    /// <summary>The cluster client's grain factory.</summary>
    public IGrainFactory Grains => (_cluster ?? throw new InvalidOperationException("not started")).Client;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorage>(
                StorageNames.Ipam,
                (services, _) => Storage.Bind(services.GetRequiredService<Serializer>()));
            silo.Services.Configure<ServiceOptions>(o =>
            {
                o.NodePortFirst = 30000;
                o.NodePortLast = 30011;
                o.FeedSegmentSize = 16;
                o.ReconcileGracePeriod = TimeSpan.Zero;
            });
        });
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }
}
