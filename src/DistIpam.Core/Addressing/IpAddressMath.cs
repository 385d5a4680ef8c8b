using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DistIpam.Core.Addressing;

/// <summary>
/// Conversions between <see cref="IPAddress"/> and unsigned integers. IPv6 needs 128-bit
/// arithmetic, so every address is handled as a <see cref="UInt128"/>.
/// </summary>
public static class IpAddressMath
{
    private static readonly SearchValues<char> Ipv6Characters = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>The number of bits in an address of <paramref name="family"/>.</summary>
    public static int BitsOf(IpFamily family) => family == IpFamily.V4 ? 32 : 128;

    /// <summary>The family of <paramref name="address"/>; IPv4-mapped IPv6 stays IPv6.</summary>
    public static IpFamily FamilyOf(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => IpFamily.V4,
        AddressFamily.InterNetworkV6 => IpFamily.V6,
        _ => throw new ArgumentException($"'{address}' is neither IPv4 nor IPv6", nameof(address)),
    };

    /// <summary>The address as an unsigned integer (network byte order, most significant first).</summary>
    public static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException($"'{address}' cannot be written as bytes", nameof(address));
        }

        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>The address of <paramref name="family"/> whose integer value is <paramref name="value"/>.</summary>
    public static IPAddress FromUInt128(UInt128 value, IpFamily family)
    {
        if (family == IpFamily.V4)
        {
            if (value > uint.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(value), $"{value} does not fit an IPv4 address");
            }

            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    /// <summary>
    /// Parses one address in its plain textual form: dotted-quad IPv4 or IPv6 (RFC 4291).
    /// </summary>
    /// <remarks>
    /// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> also accepts inet_aton forms
    /// ("10.1" is 10.0.0.1, "010.0.0.1" is octal 8.0.0.1, "0xa.0.0.1"), brackets, ports and zone
    /// ids ("[fd00::1]:80", "fe80::1%eth0"). Each would silently turn an operator's typo into a
    /// different network (the Kubernetes CVE-2021-29923 class), so only the plain forms pass.
    /// </remarks>
    public static bool TryParseAddress(
        string text,
        [NotNullWhen(true)] out IPAddress? address,
        [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (text.Length == 0)
        {
            error = "empty address";
            return false;
        }

        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            if (IsDottedQuad(text) && IPAddress.TryParse(text, out address))
            {
                error = null;
                return true;
            }

            error = $"'{text}' is not an IP address (IPv4 needs four decimal parts 0-255 without leading zeros)";
            return false;
        }

        var embeddedV4 = text[(colon + 1)..];
        var plain = !text.AsSpan().ContainsAnyExcept(Ipv6Characters);
        if (plain
            && (!embeddedV4.Contains('.', StringComparison.Ordinal) || IsDottedQuad(embeddedV4))
            && IPAddress.TryParse(text, out address)
            && address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            error = null;
            return true;
        }

        address = null;
        error = $"'{text}' is not an IP address";
        return false;
    }

    /// <summary>A mask with the top <paramref name="prefixLength"/> of <paramref name="bits"/> bits set.</summary>
    public static UInt128 NetworkMask(int prefixLength, int bits)
    {
        var all = bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;
        var host = HostMask(prefixLength, bits);
        return all & ~host;
    }

    /// <summary>A mask with the low host bits (bits - prefixLength) set.</summary>
    public static UInt128 HostMask(int prefixLength, int bits)
    {
        var hostBits = bits - prefixLength;
        return hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }

    private static bool IsDottedQuad(string text)
    {
        var parts = 0;
        foreach (var range in text.AsSpan().Split('.'))
        {
            var part = text.AsSpan()[range];
            parts++;
            if (parts > 4
                || part.Length is 0 or > 3
                || part.ContainsAnyExceptInRange('0', '9')
                || (part.Length > 1 && part[0] == '0')
                || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return parts == 4;
    }
}