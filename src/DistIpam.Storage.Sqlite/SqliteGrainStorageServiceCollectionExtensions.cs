using System.Diagnostics.Metrics;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Orleans;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite;

/// <summary>Registers <see cref="SqliteGrainStorage"/> on an <see cref="IServiceCollection"/>.</summary>
public static class SqliteGrainStorageServiceCollectionExtensions
{
    /// <summary>Adds SQLite grain storage as the default provider (<c>[PersistentState]</c> without a storage name).</summary>
    public static IServiceCollection AddSqliteGrainStorageAsDefault(
        this IServiceCollection services, Action<SqliteGrainStorageOptions> configure)
        => services.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>
    /// Adds SQLite grain storage under <paramref name="name"/>, resolvable as the keyed
    /// <see cref="IGrainStorage"/> of that name and taking part in the silo lifecycle.
    /// </summary>
    /// <remarks>
    /// Unless <see cref="SqliteGrainStorageOptions.GrainStorageSerializer"/> is set, or a keyed
    /// <see cref="IGrainStorageSerializer"/> of the same name is registered, payloads use Orleans' binary
    /// serializer, not the silo-wide default (which is Newtonsoft JSON with type names in Orleans 10).
    /// </remarks>
    public static IServiceCollection AddSqliteGrainStorage(
        this IServiceCollection services, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure);

        // Orleans' own configurator fills GrainStorageSerializer from the keyed serializer of the
        // provider's name; registering the binary one under that name makes it this provider's default.
        services.TryAddKeyedSingleton<IGrainStorageSerializer>(
            name, static (sp, _) => new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()));
        services.TryAddEnumerable(ServiceDescriptor.Transient<
            IPostConfigureOptions<SqliteGrainStorageOptions>,
            DefaultStorageProviderSerializerOptionsConfigurator<SqliteGrainStorageOptions>>());
        services.AddTransient<IConfigurationValidator>(sp => new SqliteGrainStorageOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name), name));
        services.ConfigureNamedOptionForLogging<SqliteGrainStorageOptions>(name);
        return services.AddGrainStorage(name, Create);
    }

    private static SqliteGrainStorage Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get(name),
        services.GetRequiredService<IActivatorProvider>(),
        services.GetRequiredService<ILogger<SqliteGrainStorage>>(),
        services.GetService<IMeterFactory>(),
        services.GetService<TimeProvider>());
}
