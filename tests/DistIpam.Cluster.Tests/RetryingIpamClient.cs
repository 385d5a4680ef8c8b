using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// What a well-behaved client (the CNI plugin) does against a cluster: try the preferred silo,
/// fail over to the next on UNAVAILABLE or a broken connection, and give up only at a deadline.
/// </summary>
public sealed class RetryingIpamClient(IReadOnlyList<ServerProcess> silos)
{
    private static readonly TimeSpan PerCallDeadline = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(100);
    private readonly Ipam.IpamClient[] _clients = [.. silos.Select(s => new Ipam.IpamClient(s.CreateChannel()))];

    /// <summary>Retries counted so far (for the test report).</summary>
    public int Retries => _retries;

    private int _retries;

    /// <summary>Allocate with fail-over; throws the last error when <paramref name="deadline"/> passes.</summary>
    public Task<AllocateResponse> AllocateAsync(AllocateRequest request, int preferredSilo, TimeSpan deadline) =>
        CallAsync(preferredSilo, deadline, (client, options) => client.AllocateAsync(request, options).ResponseAsync);

    /// <summary>Release with fail-over.</summary>
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, int preferredSilo, TimeSpan deadline) =>
        CallAsync(preferredSilo, deadline, (client, options) => client.ReleaseAsync(request, options).ResponseAsync);

    /// <summary>Check with fail-over.</summary>
    public Task<CheckResponse> CheckAsync(CheckRequest request, int preferredSilo, TimeSpan deadline) =>
        CallAsync(preferredSilo, deadline, (client, options) => client.CheckAsync(request, options).ResponseAsync);

    private async Task<T> CallAsync<T>(int preferredSilo, TimeSpan deadline, Func<Ipam.IpamClient, CallOptions, Task<T>> call)
    {
        var giveUpAt = DateTime.UtcNow + deadline;
        for (var attempt = 0; ; attempt++)
        {
            var client = _clients[(preferredSilo + attempt) % _clients.Length];
            try
            {
                return await call(client, new CallOptions(deadline: DateTime.UtcNow + PerCallDeadline));
            }
            catch (RpcException e) when (IsRetryable(e.StatusCode) && DateTime.UtcNow < giveUpAt)
            {
                Interlocked.Increment(ref _retries);
                if (attempt % _clients.Length == _clients.Length - 1)
                {
                    await Task.Delay(Backoff);
                }
            }
        }
    }

    private static bool IsRetryable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled;
}
