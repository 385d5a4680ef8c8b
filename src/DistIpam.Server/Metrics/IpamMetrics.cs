using System.Diagnostics.Metrics;

namespace DistIpam.Server.Metrics;

/// <summary>The server's own instruments (exported at /metrics with Orleans' and the store's).</summary>
public sealed class IpamMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "DistIpam";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Creates the instruments.</summary>
    public IpamMetrics()
    {
        Allocations = _meter.CreateCounter<long>("distipam_allocations", description: "Addresses handed out by Allocate");
        Releases = _meter.CreateCounter<long>("distipam_releases", description: "Addresses freed by Release and GC");
        Failures = _meter.CreateCounter<long>("distipam_failures", description: "Failed IPAM calls by gRPC status");
        AllocateSeconds = _meter.CreateHistogram<double>("distipam_allocate_duration", unit: "s", description: "Allocate latency inside the server");
        ReleaseSeconds = _meter.CreateHistogram<double>("distipam_release_duration", unit: "s", description: "Release latency inside the server");
    }

    /// <summary>Addresses handed out.</summary>
    public Counter<long> Allocations { get; }

    /// <summary>Addresses freed.</summary>
    public Counter<long> Releases { get; }

    /// <summary>Failed calls, tagged with the status.</summary>
    public Counter<long> Failures { get; }

    /// <summary>Allocate latency.</summary>
    public Histogram<double> AllocateSeconds { get; }

    /// <summary>Release latency.</summary>
    public Histogram<double> ReleaseSeconds { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
