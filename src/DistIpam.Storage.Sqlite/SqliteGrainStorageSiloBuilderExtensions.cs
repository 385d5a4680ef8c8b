using Orleans.Hosting;
using Orleans.Providers;

namespace DistIpam.Storage.Sqlite;

/// <summary>Registers <see cref="SqliteGrainStorage"/> on an Orleans <see cref="ISiloBuilder"/>.</summary>
public static class SqliteGrainStorageSiloBuilderExtensions
{
    /// <summary>
    /// Adds SQLite grain storage as the silo's default provider, used by <c>[PersistentState]</c>
    /// without a storage name.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets the options, at least <see cref="SqliteGrainStorageOptions.DataSource"/>.</param>
    public static ISiloBuilder AddSqliteGrainStorageAsDefault(this ISiloBuilder builder, Action<SqliteGrainStorageOptions> configure)
        => builder.AddSqliteGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds SQLite grain storage under <paramref name="name"/>.</summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">Provider name, as used in <c>[PersistentState(stateName, name)]</c>.</param>
    /// <param name="configure">Sets the options, at least <see cref="SqliteGrainStorageOptions.DataSource"/>.</param>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder builder, string name, Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services => services.AddSqliteGrainStorage(name, configure));
    }
}
