namespace DistIpam.Grains.Handles;

/// <summary>
/// The key of a handle grain: "network/containerId/ifname". The gRPC edge validates that none of
/// the parts contains '/', so the key splits back unambiguously.
/// </summary>
public static class HandleKey
{
    /// <summary>The grain key of one attachment.</summary>
    public static string Of(string network, string containerId, string interfaceName) =>
        $"{network}/{containerId}/{interfaceName}";

    /// <summary>Splits a key into its parts.</summary>
    public static (string Network, string ContainerId, string Interface) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('/');
        if (parts.Length != 3 || parts.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"'{key}' is not a handle key (network/containerId/ifname)", nameof(key));
        }

        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>The prefix shared by every handle of <paramref name="network"/>.</summary>
    public static string NetworkPrefix(string network) => network + "/";
}
