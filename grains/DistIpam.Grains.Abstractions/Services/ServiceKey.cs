namespace DistIpam.Grains.Services;

/// <summary>The key of a <see cref="IServiceGrain"/>: "namespace/name" (both DNS-1123 labels, so '/' is free).</summary>
public static class ServiceKey
{
    /// <summary>The key of <paramref name="name"/> in <paramref name="serviceNamespace"/>.</summary>
    public static string Of(string serviceNamespace, string name) => $"{serviceNamespace}/{name}";

    /// <summary>Splits a key into namespace and name.</summary>
    public static (string Namespace, string Name) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? throw new FormatException($"'{key}' is not a service key (namespace/name)") : (key[..slash], key[(slash + 1)..]);
    }
}
