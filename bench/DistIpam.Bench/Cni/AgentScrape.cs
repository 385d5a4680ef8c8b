using System.Globalization;

namespace DistIpam.Bench.Cni;

/// <summary>Reads the agent's Prometheus text: the sum of every sample of one metric (all label sets).</summary>
public static class AgentScrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The sum over label sets of <paramref name="metric"/> (an exact sample name, e.g. "x_count").</summary>
    public static async Task<double> SumAsync(Uri url, string metric)
    {
        var text = await Http.GetStringAsync(url);
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(metric, StringComparison.Ordinal) && line.Length > metric.Length && line[metric.Length] is '{' or ' ')
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
