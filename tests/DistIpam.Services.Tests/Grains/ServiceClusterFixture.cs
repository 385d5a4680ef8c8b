using DistIpam.Grains.Persistence;
using DistIpam.Grains.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace DistIpam.Services.Tests.Grains;

/// <summary>
/// A two-silo in-process cluster with memory storage (test-only, ETag-checked) and small limits,
/// so short operation sequences reach full pools, full NodePort ranges and multi-slice services.
/// </summary>
public sealed class ServiceClusterFixture : IAsyncLifetime
{
    /// <summary>The NodePort range: 12 ports.</summary>
    public const int NodePortFirst = 30000;

    /// <summary>The last NodePort.</summary>
    public const int NodePortLast = 30011;

    /// <summary>Endpoints per slice.</summary>
    public const int MaxEndpointsPerSlice = 3;

    private InProcessTestCluster? _cluster;

    /// <summary>The cluster client's grain factory.</summary>
    public IGrainFactory Grains => (_cluster ?? throw new InvalidOperationException("not started")).Client;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<IGrainStorageSerializer>(
                StorageNames.Ipam,
                static (services, _) => new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
            silo.AddMemoryGrainStorage(StorageNames.Ipam);
            silo.Services.Configure<ServiceOptions>(o =>
            {
                o.NodePortFirst = NodePortFirst;
                o.NodePortLast = NodePortLast;
                o.MaxEndpointsPerSlice = MaxEndpointsPerSlice;
                o.FeedSegmentSize = 16;
                o.RetainedEvents = 1_000_000;

                // Tests observe the two-observation rule by calling reconcile twice, not by waiting.
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
