using Orleans.Storage;
using StackExchange.Redis;

namespace DistIpam.Storage.Redis;

/// <summary>Options of <see cref="FencedRedisGrainStorage"/>.</summary>
public sealed class FencedRedisStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The Redis server (required). The same server must hold the Orleans membership table.</summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>
    /// The membership table's key. Default (null): Orleans' Redis clustering default,
    /// <c>{ServiceId}/members/{ClusterId}</c>.
    /// </summary>
    public string? MembershipKey { get; set; }

    /// <inheritdoc />
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
