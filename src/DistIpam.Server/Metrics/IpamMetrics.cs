using System.Diagnostics.Metrics;

namespace DistIpam.Server.Metrics;

/// <summary>
/// The server's own instruments (exported at /metrics with Orleans' and the store's). Failed calls
/// are counted by <see cref="RpcMetricsInterceptor"/> (<c>distipam_rpc_errors</c>, by method and status).
/// </summary>
public sealed class IpamMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "DistIpam";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Creates the instruments.</summary>
    public IpamMetrics()
    {
        Allocations = _meter.CreateCounter<long>("distipam_allocations", description: "Addresses handed out by Allocate");
        Releases = _meter.CreateCounter<long>("distipam_releases", description: "Addresses freed, by reason (del, cni-gc, gc, drain, reconcile, operator)");
        AllocateSeconds = _meter.CreateHistogram<double>("distipam_allocate_duration", unit: "s", description: "Allocate latency inside the server");
        ReleaseSeconds = _meter.CreateHistogram<double>("distipam_release_duration", unit: "s", description: "Release latency inside the server");
    }

    /// <summary>Addresses handed out.</summary>
    public Counter<long> Allocations { get; }

    /// <summary>Addresses freed, tagged with <see cref="ReleaseReasons"/>; added to by <see cref="History.HistoryRecorder.Released"/> only.</summary>
    public Counter<long> Releases { get; }

    /// <summary>Allocate latency.</summary>
    public Histogram<double> AllocateSeconds { get; }

    /// <summary>Release latency.</summary>
    public Histogram<double> ReleaseSeconds { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
