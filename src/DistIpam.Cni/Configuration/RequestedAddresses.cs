using DistIpam.Core.Addressing;
using System.Globalization;
using System.Net;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Invocation;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Configuration;

/// <summary>
/// Merges the requested addresses of <c>CNI_ARGS IP=</c>, <c>args.cni.ips</c> and
/// <c>runtimeConfig.ips</c>: the same address named twice counts once; two different addresses of
/// one family are a conflict (code 7), since an attachment gets one address per family.
/// </summary>
internal static class RequestedAddresses
{
    /// <summary>The bare addresses (no prefix) to request, in the order first named.</summary>
    public static IReadOnlyList<string> Resolve(CniArgs args, NetworkConfigDocument document)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(document);
        var chosen = new List<(IPAddress Address, string Source)>();
        for (var i = 0; i < args.Ips.Count; i++)
        {
            if (!AddressParser.TryParseAddressOrPrefix(args.Ips[i], out var address, out var error))
            {
                throw CniException.InvalidEnvironment($"CNI_ARGS IP {InputEcho.Quote(args.Ips[i])} {error}");
            }

            Add(chosen, address, "CNI_ARGS IP");
        }

        AddList(chosen, document.Args?.Cni?.Ips, "args.cni.ips");
        AddList(chosen, document.RuntimeConfig?.Ips, "runtimeConfig.ips");
        return [.. chosen.Select(c => c.Address.ToString())];
    }

    private static void AddList(List<(IPAddress Address, string Source)> chosen, List<string>? ips, string field)
    {
        ConfigurationValidator.Limit(field, ips?.Count ?? 0, ConfigurationValidator.MaxListEntries);
        for (var i = 0; i < (ips?.Count ?? 0); i++)
        {
            var source = $"{field}[{i.ToString(CultureInfo.InvariantCulture)}]";
            if (!AddressParser.TryParseAddressOrPrefix(ips![i], out var address, out var error))
            {
                throw CniException.InvalidConfiguration($"{source} {InputEcho.Quote(ips[i])} {error}");
            }

            Add(chosen, address, source);
        }
    }

    private static void Add(List<(IPAddress Address, string Source)> chosen, IPAddress address, string source)
    {
        foreach (var (existing, existingSource) in chosen)
        {
            if (existing.Equals(address))
            {
                return;
            }

            if (existing.AddressFamily == address.AddressFamily)
            {
                throw CniException.InvalidConfiguration(
                    $"{source} requests {ConfigurationValidator.FamilyName(address.AddressFamily)} address {address} but {existingSource} already requests {existing}; an attachment gets one address per family");
            }
        }

        chosen.Add((address, source));
    }
}
