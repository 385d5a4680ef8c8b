namespace DistIpam.Server.Metrics;

/// <summary>Pool gauges and the exhaustion forecast (configuration section <c>DistIpam:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DistIpam:Metrics";

    /// <summary>How often pools, blocks and nodes are sampled (one scan of every claimed block). Default 30 s.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The window the allocation rate of the forecast is measured over. Default 6 h.</summary>
    public TimeSpan ForecastWindow { get; set; } = TimeSpan.FromHours(6);
}
