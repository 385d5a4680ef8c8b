using System.Globalization;

namespace DistIpam.Cni;

/// <summary>The CNI specification versions distipam speaks, and comparisons between versions.</summary>
internal static class CniVersions
{
    /// <summary>The newest version: what VERSION reports and what errors use when the config names none.</summary>
    public const string Latest = "1.1.0";

    /// <summary>CHECK exists from this version on.</summary>
    public const string CheckMinimum = "0.4.0";

    /// <summary>GC and STATUS exist from this version on.</summary>
    public const string GcMinimum = "1.1.0";

    /// <summary>Results stop carrying <c>ips[].version</c> from this version on.</summary>
    public const string NoIpVersionFrom = "1.0.0";

    /// <summary>Routes carry mtu, advmss, priority, table and scope from this version on.</summary>
    public const string RouteAttributesFrom = "1.1.0";

    /// <summary>Every version distipam accepts, oldest first.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    /// <summary>Whether <paramref name="version"/> is one of <see cref="Supported"/>.</summary>
    public static bool IsSupported(string? version) => version is not null && Supported.Contains(version);

    /// <summary>Whether <paramref name="version"/> is at least <paramref name="minimum"/> (both "major.minor.patch").</summary>
    public static bool IsAtLeast(string version, string minimum) => Compare(version, minimum) >= 0;

    /// <summary>Orders two "major.minor.patch" versions numerically; unparsable parts count as 0.</summary>
    public static int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var a = Parts(left);
        var b = Parts(right);
        for (var i = 0; i < 3; i++)
        {
            var c = a[i].CompareTo(b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static int[] Parts(string version)
    {
        var parts = new int[3];
        var fields = version.Split('.');
        for (var i = 0; i < Math.Min(3, fields.Length); i++)
        {
            parts[i] = int.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }

        return parts;
    }
}
