using Orleans;
using Orleans.Runtime;

namespace DistIpam.Storage.Sqlite;

/// <summary>
/// Checks <see cref="SqliteGrainStorageOptions"/> when the silo starts, so a bad setting stops the silo
/// with a message that names the provider instead of failing on the first grain write.
/// </summary>
public sealed class SqliteGrainStorageOptionsValidator : IConfigurationValidator
{
    private readonly SqliteGrainStorageOptions _options;
    private readonly string _name;

    /// <summary>Creates a validator for the options of the provider called <paramref name="name"/>.</summary>
    public SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(name);
        _options = options;
        _name = name;
    }

    /// <inheritdoc />
    /// <exception cref="OrleansConfigurationException">A setting is out of range.</exception>
    public void ValidateConfiguration()
    {
        if (Describe(_options) is { } problem)
        {
            throw new OrleansConfigurationException($"SQLite grain storage '{_name}': {problem}");
        }
    }

    /// <summary>Returns what is wrong with <paramref name="options"/>, or null when nothing is.</summary>
    internal static string? Describe(SqliteGrainStorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.DataSource))
        {
            return $"{nameof(SqliteGrainStorageOptions.DataSource)} must name a file.";
        }

        if (options.DataSource.Trim() == ":memory:")
        {
            return $"{nameof(SqliteGrainStorageOptions.DataSource)} ':memory:' is not durable; name a file.";
        }

        if (options.MaxBatchSize < 1)
        {
            return $"{nameof(SqliteGrainStorageOptions.MaxBatchSize)} must be at least 1, was {options.MaxBatchSize}.";
        }

        if (options.BusyTimeout < TimeSpan.FromSeconds(1))
        {
            return $"{nameof(SqliteGrainStorageOptions.BusyTimeout)} must be at least one second, was {options.BusyTimeout}.";
        }

        if (options.UnsafeLoseCommitReplyEvery < 0)
        {
            return $"{nameof(SqliteGrainStorageOptions.UnsafeLoseCommitReplyEvery)} must be 0 (off) or positive, was {options.UnsafeLoseCommitReplyEvery}.";
        }

        return null;
    }
}
