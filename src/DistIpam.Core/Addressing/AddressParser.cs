using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace DistIpam.Core.Addressing;

/// <summary>
/// The one strict parser of address and prefix text at every edge (CNI configuration, CNI_ARGS,
/// every gRPC field): it accepts what Go's <c>net/netip</c> ParseAddr and ParsePrefix accept, minus
/// IPv6 zones, and nothing else (docs/security.md, "One strict parser").
/// </summary>
/// <remarks>
/// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also accepts inet_aton forms ("10.1"
/// is 10.0.0.1, "010.0.0.1" is octal 8.0.0.1, "0xa.0.0.1"), brackets, ports and zone ids
/// ("[fd00::1]:80", "fe80::1%eth0"). Each silently turns a typo into a different network (the
/// Kubernetes CVE-2021-29923 class), so this is a port of netip's algorithm instead of a filter
/// in front of the BCL's. Messages are netip's, so the two sides of a CNI deployment agree.
/// </remarks>
public static class AddressParser
{
    /// <summary>Parses a bare address: four decimal octets without leading zeros, or RFC 4291 IPv6.</summary>
    public static bool TryParseAddress(
        string? text,
        [NotNullWhen(true)] out IPAddress? address,
        [NotNullWhen(false)] out string? error)
    {
        address = null;
        string? detail;
        var first = string.IsNullOrEmpty(text) ? -1 : text.AsSpan().IndexOfAny('.', ':', '%');
        if (string.IsNullOrEmpty(text))
        {
            detail = "empty address";
        }
        else if (first < 0)
        {
            detail = "neither IPv4 nor IPv6";
        }
        else
        {
            // netip decides the family by the first separator, as here.
            _ = text[first] switch
            {
                '.' => TryParseV4(text, out address, out detail),
                ':' => TryParseV6(text, out address, out detail),
                _ => Refuse("zones are not allowed", out detail),
            };
        }

        if (address is not null)
        {
            error = null;
            return true;
        }

        error = $"is not an IP address: {detail}";
        return false;
    }

    /// <summary>
    /// Parses "address/length" as netip.ParsePrefix does: host bits may be set (callers that need a
    /// network, such as pools, refuse them); the length is decimal without sign or leading zeros.
    /// </summary>
    public static bool TryParsePrefix(
        string? text,
        [NotNullWhen(true)] out IPAddress? address,
        out int prefixLength,
        [NotNullWhen(false)] out string? error)
    {
        address = null;
        prefixLength = -1;
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0)
        {
            error = string.IsNullOrEmpty(text) ? "is not a CIDR: empty" : "is not a CIDR: missing '/prefix-length'";
            return false;
        }

        if (!TryParseAddress(text![..slash], out var parsed, out error))
        {
            return false;
        }

        var bits = text.AsSpan(slash + 1);
        var max = parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (bits.Length is 0 or > 3 || (bits.Length > 1 && bits[0] == '0') || bits.ContainsAnyExceptInRange('0', '9'))
        {
            error = $"is not a CIDR: prefix length {InputEcho.Quote(bits.ToString())} is not a number (decimal, no sign or leading zeros)";
            return false;
        }

        var length = 0;
        foreach (var c in bits)
        {
            length = (length * 10) + (c - '0');
        }

        if (length > max)
        {
            error = $"is not a CIDR: prefix length must be 0-{max} for IPv{(max == 32 ? 4 : 6)}";
            return false;
        }

        address = parsed;
        prefixLength = length;
        return true;
    }

    /// <summary>Parses an address with or without "/length" (CNI_ARGS IP= allows both); the length is dropped.</summary>
    public static bool TryParseAddressOrPrefix(
        string? text,
        [NotNullWhen(true)] out IPAddress? address,
        [NotNullWhen(false)] out string? error) =>
        text is not null && text.Contains('/', StringComparison.Ordinal)
            ? TryParsePrefix(text, out address, out _, out error)
            : TryParseAddress(text, out address, out error);

    private static bool TryParseV4(string text, [NotNullWhen(true)] out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        Span<byte> bytes = stackalloc byte[4];
        address = null;
        if (!TryParseV4Fields(text.AsSpan(), bytes, out error))
        {
            return false;
        }

        address = new IPAddress(bytes);
        return true;
    }

    // netip parseIPv4Fields: four decimal fields 0-255, each at least one digit, no leading zero.
    private static bool TryParseV4Fields(ReadOnlySpan<char> s, Span<byte> fields, [NotNullWhen(false)] out string? error)
    {
        int value = 0, position = 0, digits = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9')
            {
                if (digits == 1 && value == 0)
                {
                    error = "IPv4 fields are decimal 0-255 without leading zeros";
                    return false;
                }

                value = (value * 10) + (c - '0');
                digits++;
                if (value > 255)
                {
                    error = "IPv4 field has value >255";
                    return false;
                }
            }
            else if (c == '.')
            {
                if (i == 0 || i == s.Length - 1 || s[i - 1] == '.')
                {
                    error = "IPv4 field must have at least one digit";
                    return false;
                }

                if (position == 3)
                {
                    error = "IPv4 address too long";
                    return false;
                }

                fields[position++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else
            {
                error = "unexpected character in IPv4 address";
                return false;
            }
        }

        if (position < 3)
        {
            error = "IPv4 address too short";
            return false;
        }

        fields[3] = (byte)value;
        error = null;
        return true;
    }

    // netip parseIPv6 without zones: hex groups of 1-4 digits, one "::", an embedded IPv4 only as the last 32 bits.
    private static bool TryParseV6(string text, [NotNullWhen(true)] out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (text.Contains('%', StringComparison.Ordinal))
        {
            error = "zones are not allowed";
            return false;
        }

        Span<byte> ip = stackalloc byte[16];
        ip.Clear();
        var s = text.AsSpan();
        var ellipsis = -1;
        if (s.Length >= 2 && s[0] == ':' && s[1] == ':')
        {
            ellipsis = 0;
            s = s[2..];
            if (s.IsEmpty)
            {
                address = IPAddress.IPv6Any;
                error = null;
                return true;
            }
        }

        var i = 0;
        while (i < 16)
        {
            var off = 0;
            var acc = 0;
            for (; off < s.Length; off++)
            {
                var digit = HexValue(s[off]);
                if (digit < 0)
                {
                    break;
                }

                if (off > 3)
                {
                    error = "each IPv6 group must have 4 or fewer digits";
                    return false;
                }

                acc = (acc << 4) + digit;
            }

            if (off == 0)
            {
                error = "each colon-separated IPv6 field must have at least one digit";
                return false;
            }

            if (off < s.Length && s[off] == '.')
            {
                if (ellipsis < 0 && i != 12)
                {
                    error = "embedded IPv4 address must replace the final 2 fields of the address";
                    return false;
                }

                if (i + 4 > 16)
                {
                    error = "too many hex fields to fit an embedded IPv4 at the end of the address";
                    return false;
                }

                if (!TryParseV4Fields(s, ip.Slice(i, 4), out error))
                {
                    return false;
                }

                s = [];
                i += 4;
                break;
            }

            ip[i] = (byte)(acc >> 8);
            ip[i + 1] = (byte)acc;
            i += 2;
            s = s[off..];
            if (s.IsEmpty)
            {
                break;
            }

            if (s[0] != ':')
            {
                error = "unexpected character in IPv6 address, want colon";
                return false;
            }

            if (s.Length == 1)
            {
                error = "colon must be followed by more characters";
                return false;
            }

            s = s[1..];
            if (s[0] == ':')
            {
                if (ellipsis >= 0)
                {
                    error = "multiple :: in address";
                    return false;
                }

                ellipsis = i;
                s = s[1..];
                if (s.IsEmpty)
                {
                    break;
                }
            }
        }

        if (!s.IsEmpty)
        {
            error = "trailing garbage after address";
            return false;
        }

        if (i < 16)
        {
            if (ellipsis < 0)
            {
                error = "IPv6 address too short";
                return false;
            }

            var n = 16 - i;
            for (var j = i - 1; j >= ellipsis; j--)
            {
                ip[j + n] = ip[j];
            }

            ip.Slice(ellipsis, n).Clear();
        }
        else if (ellipsis >= 0)
        {
            error = "the :: must expand to at least one field of zeros";
            return false;
        }

        address = new IPAddress(ip);
        error = null;
        return true;
    }

    private static bool Refuse(string reason, out string detail)
    {
        detail = reason;
        return false;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
