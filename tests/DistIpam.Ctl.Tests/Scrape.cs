using System.Globalization;
using System.Text.RegularExpressions;

namespace DistIpam.Ctl.Tests;

/// <summary>Reads a server's /metrics (Prometheus text format).</summary>
public static class Scrape
{
    /// <summary>One scrape of /metrics.</summary>
    public static Task<string> GetAsync(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    /// <summary>The value of the first <paramref name="metric"/> series whose labels contain <paramref name="labels"/> (any series when empty); null when none.</summary>
    public static double? Value(string scrape, string metric, string labels)
    {
        var pattern = $@"^{Regex.Escape(metric)}(\{{[^}}]*\}})? (\S+)";
        foreach (Match match in Regex.Matches(scrape, pattern, RegexOptions.Multiline))
        {
            if (labels.Length == 0 || match.Groups[1].Value.Contains(labels, StringComparison.Ordinal))
            {
                return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
