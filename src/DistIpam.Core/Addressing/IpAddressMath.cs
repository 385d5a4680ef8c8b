using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace DistIpam.Core.Addressing;

/// <summary>
/// Conversions between <see cref="IPAddress"/> and unsigned integers. IPv6 needs 128-bit
/// arithmetic, so every address is handled as a <see cref="UInt128"/>.
/// </summary>
public static class IpAddressMath
{
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

    /// <summary>Parses one address with the strict parser (<see cref="AddressParser.TryParseAddress"/>).</summary>
    public static bool TryParseAddress(
        string text,
        [NotNullWhen(true)] out IPAddress? address,
        [NotNullWhen(false)] out string? error) =>
        AddressParser.TryParseAddress(text, out address, out error);

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
}
