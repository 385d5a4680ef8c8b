using System.Globalization;

namespace DistIpam.Agent.Tests.Fixtures;

/// <summary>Scrapes an agent's Prometheus endpoint and reads samples from the text.</summary>
public sealed class MetricsScrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string[] _lines;

    private MetricsScrape(string text)
    {
        Text = text;
        _lines = text.Split('\n');
    }

    /// <summary>The whole answer (for failure messages).</summary>
    public string Text { get; }

    /// <summary>Scrapes <paramref name="port"/> on loopback.</summary>
    public static async Task<MetricsScrape> OfAsync(int port) =>
        new(await Http.GetStringAsync(new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/metrics")));

    /// <summary>The sum of every sample named <paramref name="name"/> whose labels contain <paramref name="label"/> (or all of them); 0 when there is none.</summary>
    public double Sum(string name, string? label = null) =>
        _lines.Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Length > name.Length && l[name.Length] is '{' or ' ')
            .Where(l => label is null || l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    /// <summary>Whether any sample named <paramref name="name"/> is present.</summary>
    public bool Has(string name) => _lines.Any(l => l.StartsWith(name, StringComparison.Ordinal));
}
