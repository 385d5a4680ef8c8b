using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Testing;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// What a well-behaved client (the CNI plugin) does against a cluster, on <see cref="DistIpamClient"/>:
/// try the preferred silo, fail over to the next on UNAVAILABLE or a broken connection, and give up
/// only at a deadline.
/// </summary>
public sealed class RetryingIpamClient(IReadOnlyList<ServerProcess> silos) : IDisposable
{
    private readonly DistIpamClient _client = new(new DistIpamClientOptions
    {
        Endpoints = [.. silos.Select(s => s.GrpcAddress.ToString())],
        AttemptTimeout = TimeSpan.FromSeconds(5),
        // Each call names its own deadline; this only bounds a call that names none.
        Timeout = TimeSpan.FromMinutes(5),
        Backoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
    });

    /// <summary>Retries counted so far (for the test report).</summary>
    public int Retries => (int)_client.Retries;

    /// <summary>Allocate with fail-over; throws the last error when <paramref name="deadline"/> passes.</summary>
    public Task<AllocateResponse> AllocateAsync(AllocateRequest request, int preferredSilo, TimeSpan deadline) =>
        Ipam(preferredSilo).AllocateAsync(request, deadline: DateTime.UtcNow + deadline).ResponseAsync;

    /// <summary>Release with fail-over.</summary>
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, int preferredSilo, TimeSpan deadline) =>
        Ipam(preferredSilo).ReleaseAsync(request, deadline: DateTime.UtcNow + deadline).ResponseAsync;

    /// <summary>Check with fail-over.</summary>
    public Task<CheckResponse> CheckAsync(CheckRequest request, int preferredSilo, TimeSpan deadline) =>
        Ipam(preferredSilo).CheckAsync(request, deadline: DateTime.UtcNow + deadline).ResponseAsync;

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private Ipam.IpamClient Ipam(int preferredSilo) => new(_client.CallInvoker(preferredSilo));
}
