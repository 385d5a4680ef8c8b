namespace DistIpam.Grains.Services;

/// <summary>
/// The keys of every service that exists or is being created (single key <see cref="Key"/>), so
/// List can find them. A service is added before its creation is published and removed after its
/// deletion is durable, so the index is a superset of the services at any version.
/// </summary>
public interface IServiceIndexGrain : IGrainWithStringKey
{
    /// <summary>The only key.</summary>
    const string Key = "index";

    /// <summary>Adds a key once durable. Idempotent.</summary>
    Task AddAsync(string serviceKey);

    /// <summary>Removes a key once durable. Idempotent.</summary>
    Task RemoveAsync(string serviceKey);

    /// <summary>The keys, sorted; only those of <paramref name="serviceNamespace"/> when it is not empty.</summary>
    Task<IReadOnlyList<string>> ListAsync(string serviceNamespace);
}
