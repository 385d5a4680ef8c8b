using DistIpam.Api.V1;
using DistIpam.Client;
using Grpc.Core;

namespace DistIpam.Bench.Cluster;

/// <summary>
/// What the CNI plugin does against a cluster, on <see cref="DistIpamClient"/>: try the preferred
/// silo, move to the next on UNAVAILABLE, a broken connection or a per-attempt timeout (and INTERNAL,
/// which a silo killed mid-call gives), and give up only at the overall deadline.
/// </summary>
public sealed class FailoverClient : IDisposable
{
    private readonly DistIpamClient _client;

    /// <summary>Creates one channel per silo address.</summary>
    public FailoverClient(IEnumerable<Uri> silos) => _client = new DistIpamClient(new DistIpamClientOptions
    {
        Endpoints = [.. silos.Select(s => s.ToString())],
        AttemptTimeout = TimeSpan.FromSeconds(5),
        // Each call names its own deadline; this only bounds a call that names none.
        Timeout = TimeSpan.FromMinutes(5),
        Backoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        AlsoRetry = [StatusCode.Internal],
    });

    /// <summary>Retries so far.</summary>
    public long Retries => _client.Retries;

    /// <summary>Allocate with fail-over.</summary>
    public Task<AllocateResponse> AllocateAsync(AllocateRequest request, int preferred, TimeSpan deadline) =>
        new Ipam.IpamClient(_client.CallInvoker(preferred)).AllocateAsync(request, deadline: DateTime.UtcNow + deadline).ResponseAsync;

    /// <summary>Release with fail-over.</summary>
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, int preferred, TimeSpan deadline) =>
        new Ipam.IpamClient(_client.CallInvoker(preferred)).ReleaseAsync(request, deadline: DateTime.UtcNow + deadline).ResponseAsync;

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
