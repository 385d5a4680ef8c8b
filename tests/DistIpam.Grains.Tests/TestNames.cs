using System.Globalization;

namespace DistIpam.Grains.Tests;

/// <summary>
/// Names and CIDRs no other test uses, so tests can share one cluster: every name carries a fresh
/// number, and every CIDR lies in its own IPv4 /20 (of 10.0.0.0/8, 4095 of them) or IPv6 /48.
/// </summary>
internal static class TestNames
{
    private static int s_name;
    private static int s_v4;
    private static int s_v6;

    /// <summary>A unique DNS-1123 name such as "borrow-17" (pool, node or container id).</summary>
    public static string Unique(string prefix) => $"{prefix}-{Interlocked.Increment(ref s_name).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A fresh IPv4 CIDR of length 20-30 inside its own /20.</summary>
    public static string IPv4(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixLength, 20);
        var n = Interlocked.Increment(ref s_v4);
        return string.Create(CultureInfo.InvariantCulture, $"10.{n / 16}.{n % 16 * 16}.0/{prefixLength}");
    }

    /// <summary>A fresh IPv6 CIDR of length 48-126 inside its own /48.</summary>
    public static string IPv6(int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(prefixLength, 48);
        return string.Create(CultureInfo.InvariantCulture, $"fd00:0:{Interlocked.Increment(ref s_v6):x}::/{prefixLength}");
    }
}
