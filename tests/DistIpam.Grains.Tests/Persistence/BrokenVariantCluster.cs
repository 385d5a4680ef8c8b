using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Orleans.TestingHost;

namespace DistIpam.Grains.Tests.Persistence;

/// <summary>
/// A one-silo cluster running <see cref="BrokenVariant.AcknowledgeBeforeWrite"/>, apart from the
/// shared cluster (whose grains must stay correct). Only <see cref="BrokenVariantTests"/> uses it.
/// </summary>
public sealed class BrokenVariantCluster : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    /// <summary>Holds chosen grains' writes.</summary>
    public WriteGate Gate { get; } = new();

    /// <summary>The cluster client's grain factory.</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The grain storage the grains write to.</summary>
    public IGrainStorage Storage =>
        Cluster.Silos[0].SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(DistIpam.Grains.Persistence.StorageNames.Ipam);

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not been started");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            ClusterFixture.AddStorage(silo, Gate);
            silo.Services.Configure<IpamGrainOptions>(o => o.UnsafeBrokenVariant = BrokenVariant.AcknowledgeBeforeWrite);
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
