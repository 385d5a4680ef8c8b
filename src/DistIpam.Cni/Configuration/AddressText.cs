using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DistIpam.Cni.Configuration;

/// <summary>Parsing of addresses and CIDRs as they appear in CNI JSON and CNI_ARGS.</summary>
internal static class AddressText
{
    /// <summary>Parses a bare address (no prefix, no zone).</summary>
    public static bool TryParseAddress(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        if (string.IsNullOrEmpty(text) || text.Contains('%', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed) || !IsWellFormed(text, parsed))
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>Parses "address/prefix" (host bits may be set, as Go's ParseCIDR allows).</summary>
    public static bool TryParseCidr(string? text, out IPAddress address, out int prefixLength)
    {
        prefixLength = -1;
        address = IPAddress.None;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || !TryParseAddress(text![..slash], out var parsed))
        {
            return false;
        }

        var bits = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > bits)
        {
            return false;
        }

        address = parsed;
        prefixLength = length;
        return true;
    }

    /// <summary>Parses an address with or without a prefix length; the prefix is dropped.</summary>
    public static bool TryParseAddressWithOptionalPrefix(string? text, out IPAddress address)
    {
        return text is not null && text.Contains('/', StringComparison.Ordinal)
            ? TryParseCidr(text, out address, out _)
            : TryParseAddress(text, out address);
    }

    /// <summary>"4" or "6".</summary>
    public static string FamilyDigit(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily == AddressFamily.InterNetwork ? "4" : "6";
    }

    // IPAddress.TryParse accepts "1", "1.2" and "0x1.2.3.4" for IPv4; CNI means dotted quads.
    private static bool IsWellFormed(string text, IPAddress parsed) =>
        parsed.AddressFamily == AddressFamily.InterNetworkV6
        || (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3 && !text.Contains('x', StringComparison.OrdinalIgnoreCase));
}
