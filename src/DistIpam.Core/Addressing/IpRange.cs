using System.Diagnostics.CodeAnalysis;
using System.Net;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Addressing;

/// <summary>
/// An inclusive range of addresses of one family, e.g. 10.0.0.1-10.0.0.9. Unlike
/// <see cref="IpPrefix"/> it need not be aligned, which is what reserved ranges and requested
/// spans look like in practice. Bounds are <see cref="UInt128"/> so IPv6 never overflows.
/// </summary>
public readonly record struct IpRange
{
    private IpRange(UInt128 start, UInt128 end, IpFamily family)
    {
        Start = start;
        End = end;
        Family = family;
    }

    /// <summary>The first address of the range as an integer.</summary>
    public UInt128 Start { get; }

    /// <summary>The last address of the range as an integer (inclusive).</summary>
    public UInt128 End { get; }

    /// <summary>The address family of both bounds.</summary>
    public IpFamily Family { get; }

    /// <summary>The first address of the range.</summary>
    public IPAddress StartAddress => IpAddressMath.FromUInt128(Start, Family);

    /// <summary>The last address of the range.</summary>
    public IPAddress EndAddress => IpAddressMath.FromUInt128(End, Family);

    /// <summary>The number of addresses; saturates at <see cref="UInt128.MaxValue"/> for the whole IPv6 space.</summary>
    public UInt128 Size => End - Start == UInt128.MaxValue ? UInt128.MaxValue : End - Start + 1;

    /// <summary>
    /// The range <paramref name="start"/>-<paramref name="end"/>; throws
    /// <see cref="InvalidCidrException"/> if the families differ or start is after end.
    /// </summary>
    public static IpRange Create(IPAddress start, IPAddress end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        return TryCreate(start, end, out var range, out var error)
            ? range
            : throw new InvalidCidrException($"{start}-{end}", error);
    }

    /// <summary>The range holding exactly the addresses of <paramref name="prefix"/>.</summary>
    public static IpRange FromPrefix(IpPrefix prefix) => new(prefix.First, prefix.Last, prefix.Family);

    /// <summary>
    /// Parses "start-end" ("10.0.0.1-10.0.0.9"), a CIDR ("10.0.0.0/30") or one address
    /// ("10.0.0.5"); throws <see cref="InvalidCidrException"/> naming the text and the reason.
    /// </summary>
    public static IpRange Parse(string text) =>
        TryParse(text, out var range, out var error) ? range : throw new InvalidCidrException(text ?? "", error);

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IpRange range) =>
        TryParse(text, out range, out _);

    /// <summary>Parses like <see cref="Parse"/> without throwing; <paramref name="error"/> says why not.</summary>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        out IpRange range,
        [NotNullWhen(false)] out string? error)
    {
        range = default;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty";
            return false;
        }

        // No IPv4 or IPv6 address contains '-', so the first one separates the bounds.
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            if (!IpAddressMath.TryParseAddress(text[..dash], out var start, out error)
                || !IpAddressMath.TryParseAddress(text[(dash + 1)..], out var end, out error))
            {
                return false;
            }

            return TryCreate(start, end, out range, out error);
        }

        if (text.Contains('/', StringComparison.Ordinal))
        {
            if (!IpPrefix.TryParse(text, out var prefix, out error))
            {
                return false;
            }

            range = FromPrefix(prefix);
            return true;
        }

        if (!IpAddressMath.TryParseAddress(text, out var single, out error))
        {
            return false;
        }

        var value = IpAddressMath.ToUInt128(single);
        range = new IpRange(value, value, IpAddressMath.FamilyOf(single));
        return true;
    }

    /// <summary>True if <paramref name="address"/> is of this family and inside the range.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IpAddressMath.FamilyOf(address) == Family && Contains(IpAddressMath.ToUInt128(address));
    }

    /// <summary>True if the integer address lies inside the range (the family is the caller's to match).</summary>
    public bool Contains(UInt128 address) => address >= Start && address <= End;

    /// <summary>True if the two ranges are of one family and share at least one address.</summary>
    public bool Overlaps(IpRange other) =>
        other.Family == Family && Start <= other.End && other.Start <= End;

    /// <summary>True if the range and <paramref name="prefix"/> are of one family and share at least one address.</summary>
    public bool Overlaps(IpPrefix prefix) =>
        prefix.Family == Family && Start <= prefix.Last && prefix.First <= End;

    /// <summary>
    /// The canonical text form, "10.0.0.1-10.0.0.9", or just the address for a one-address
    /// range; <see cref="Parse"/> reads it back to an equal range.
    /// </summary>
    public override string ToString() =>
        Start == End ? StartAddress.ToString() : $"{StartAddress}-{EndAddress}";

    private static bool TryCreate(
        IPAddress start,
        IPAddress end,
        out IpRange range,
        [NotNullWhen(false)] out string? error)
    {
        range = default;
        var family = IpAddressMath.FamilyOf(start);
        if (IpAddressMath.FamilyOf(end) != family)
        {
            error = $"start {start} and end {end} are of different address families";
            return false;
        }

        var first = IpAddressMath.ToUInt128(start);
        var last = IpAddressMath.ToUInt128(end);
        if (first > last)
        {
            error = $"start {start} is after end {end}";
            return false;
        }

        range = new IpRange(first, last, family);
        error = null;
        return true;
    }
}
