using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace DistIpam.Storage.Redis;

/// <summary>Registers <see cref="FencedRedisGrainStorage"/>.</summary>
public static class FencedRedisStorageServiceCollectionExtensions
{
    /// <summary>
    /// Adds fenced Redis grain storage under <paramref name="name"/>. Payloads use Orleans' binary
    /// serializer unless <see cref="FencedRedisStorageOptions.GrainStorageSerializer"/> is set.
    /// </summary>
    public static IServiceCollection AddFencedRedisGrainStorage(
        this IServiceCollection services, string name, Action<FencedRedisStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddOptions<FencedRedisStorageOptions>(name).Configure(configure);
        services.TryAddKeyedSingleton<IGrainStorageSerializer>(
            name, static (sp, _) => new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<
            IPostConfigureOptions<FencedRedisStorageOptions>,
            DefaultStorageProviderSerializerOptionsConfigurator<FencedRedisStorageOptions>>());
        return services.AddGrainStorage(name, static (sp, n) => new FencedRedisGrainStorage(
            n,
            sp.GetRequiredService<IOptionsMonitor<FencedRedisStorageOptions>>().Get(n),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value,
            sp.GetRequiredService<ILocalSiloDetails>(),
            sp.GetRequiredService<ILogger<FencedRedisGrainStorage>>()));
    }
}
