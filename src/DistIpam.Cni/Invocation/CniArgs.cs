using DistIpam.Core.Addressing;
using DistIpam.Cni.Errors;

namespace DistIpam.Cni.Invocation;

/// <summary>
/// The parsed <c>CNI_ARGS</c> ("K1=V1;K2=V2"). Known keys: IgnoreUnknown, IP,
/// K8S_POD_NAMESPACE, K8S_POD_NAME, K8S_POD_UID, K8S_POD_INFRA_CONTAINER_ID. Any other key is an
/// error (code 4) unless IgnoreUnknown is true, as in the reference plugins.
/// </summary>
internal sealed record CniArgs
{
    /// <summary>The longest CNI_ARGS read; runtimes send a few hundred bytes.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>The most addresses one IP= names (an attachment gets one per family).</summary>
    public const int MaxIps = 16;

    /// <summary>No arguments.</summary>
    public static readonly CniArgs Empty = new();

    /// <summary>Requested addresses from <c>IP=</c> (comma separated, prefix lengths allowed), as given.</summary>
    public IReadOnlyList<string> Ips { get; init; } = [];

    /// <summary>K8S_POD_NAMESPACE.</summary>
    public string? PodNamespace { get; init; }

    /// <summary>K8S_POD_NAME.</summary>
    public string? PodName { get; init; }

    /// <summary>K8S_POD_UID.</summary>
    public string? PodUid { get; init; }

    /// <summary>K8S_POD_INFRA_CONTAINER_ID (accepted, not used).</summary>
    public string? InfraContainerId { get; init; }

    /// <summary>Parses <paramref name="text"/>; null or empty gives <see cref="Empty"/>.</summary>
    public static CniArgs Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        if (text.Length > MaxLength)
        {
            throw CniException.InvalidEnvironment($"CNI_ARGS is {text.Length} characters long; at most {MaxLength} are allowed");
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var pair in text.Split(';'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw CniException.InvalidEnvironment($"CNI_ARGS has an invalid pair {InputEcho.Quote(pair)} (expected KEY=VALUE)");
            }

            pairs.Add((pair[..eq], pair[(eq + 1)..]));
        }

        var ignoreUnknown = false;
        foreach (var (key, value) in pairs)
        {
            if (key == "IgnoreUnknown")
            {
                ignoreUnknown = ParseBool(value);
            }
        }

        var result = new CniArgs();
        var unknown = new List<string>();
        foreach (var (key, value) in pairs)
        {
            result = key switch
            {
                "IgnoreUnknown" => result,
                "IP" => result with { Ips = SplitIps(value) },
                "K8S_POD_NAMESPACE" => result with { PodNamespace = NullIfEmpty(value) },
                "K8S_POD_NAME" => result with { PodName = NullIfEmpty(value) },
                "K8S_POD_UID" => result with { PodUid = NullIfEmpty(value) },
                "K8S_POD_INFRA_CONTAINER_ID" => result with { InfraContainerId = NullIfEmpty(value) },
                _ => Unknown(result, unknown, key),
            };
        }

        if (unknown.Count > 0 && !ignoreUnknown)
        {
            throw CniException.InvalidEnvironment(
                $"CNI_ARGS has unknown keys {InputEcho.Quote(string.Join(", ", unknown))}; set IgnoreUnknown=1 to ignore them");
        }

        return result;
    }

    private static CniArgs Unknown(CniArgs result, List<string> unknown, string key)
    {
        unknown.Add(key);
        return result;
    }

    private static List<string> SplitIps(string value)
    {
        var ips = new List<string>();
        var parts = value.Split(',');
        if (parts.Length > MaxIps)
        {
            throw CniException.InvalidEnvironment($"CNI_ARGS IP names {parts.Length} addresses; at most {MaxIps} are allowed");
        }

        foreach (var part in parts)
        {
            var trimmed = part.Trim();
            if (trimmed.Length == 0)
            {
                throw CniException.InvalidEnvironment($"CNI_ARGS IP {InputEcho.Quote(value)} has an empty address");
            }

            ips.Add(trimmed);
        }

        return ips;
    }

    // The reference plugins' UnmarshallableBool: "1"/"true" and "0"/"false", case-insensitive.
    private static bool ParseBool(string value) => value.ToUpperInvariant() switch
    {
        "1" or "TRUE" => true,
        "0" or "FALSE" => false,
        _ => throw CniException.InvalidEnvironment($"CNI_ARGS IgnoreUnknown {InputEcho.Quote(value)} is not a boolean (1, 0, true or false)"),
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
