using DistIpam.Grains.Persistence;
using DistIpam.Grains.Tests.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace DistIpam.Grains.Tests;

/// <summary>
/// One three-silo cluster shared by every test class (see <see cref="SharedCluster"/>), with
/// memory grain storage under the name the grains use (<see cref="AddStorage"/>). Memory storage is
/// for tests only (the product stores in SQLite or Redis); it checks ETags, which the
/// duplicate-activation test relies on. Tests keep out of each other's way
/// by using their own pools, CIDRs, nodes and handles (<see cref="TestNames"/>).
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Short enough for the empty-block test to see a block come back within seconds.</summary>
    public static readonly TimeSpan EmptyBlockGracePeriod = TimeSpan.FromSeconds(1);

    /// <summary>How often node grains look for empty blocks.</summary>
    public static readonly TimeSpan EmptyBlockCheckInterval = TimeSpan.FromMilliseconds(200);

    private InProcessTestCluster? _cluster;

    /// <summary>Holds chosen grains' writes (every silo of this in-process cluster shares it).</summary>
    public WriteGate Gate { get; } = new();

    /// <summary>The running cluster.</summary>
    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not been started");

    /// <summary>The cluster client's grain factory.</summary>
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The grain storage of the first silo: the same memory store every silo writes to.</summary>
    public IGrainStorage Storage =>
        Cluster.Silos[0].SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Ipam);

    /// <summary>The serializer the client uses for grain calls.</summary>
    public Serializer Serializer => Cluster.Client.ServiceProvider.GetRequiredService<Serializer>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) =>
        {
            AddStorage(silo, Gate);
            silo.Services.Configure<IpamGrainOptions>(options =>
            {
                options.EmptyBlockGracePeriod = EmptyBlockGracePeriod;
                options.EmptyBlockCheckInterval = EmptyBlockCheckInterval;
            });
        });
        builder.ConfigureHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>
    /// Memory grain storage under the name the grains use, behind a <see cref="WriteGate"/>, with
    /// Orleans' binary format, as the product's storage uses: the memory provider's default
    /// (Newtonsoft JSON with type names) cannot read back the grains' state.
    /// </summary>
    internal static void AddStorage(ISiloBuilder silo, WriteGate gate)
    {
        const string inner = StorageNames.Ipam + "-memory";
        silo.Services.AddKeyedSingleton<IGrainStorageSerializer>(
            inner,
            static (services, _) => new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()));
        silo.AddMemoryGrainStorage(inner);
        silo.Services.AddKeyedSingleton<IGrainStorage>(
            StorageNames.Ipam,
            (services, _) => new GatedGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(inner), gate));
        silo.Services.AddSingleton(TimeProvider.System);
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
