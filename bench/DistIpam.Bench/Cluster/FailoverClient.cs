using DistIpam.Api.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistIpam.Bench.Cluster;

/// <summary>
/// What the CNI plugin does against a cluster: try the preferred silo, move to the next on
/// UNAVAILABLE, a broken connection or a per-attempt timeout, and give up only at the overall deadline.
/// </summary>
public sealed class FailoverClient : IDisposable
{
    private static readonly TimeSpan PerAttempt = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(50);
    private readonly GrpcChannel[] _channels;
    private readonly Ipam.IpamClient[] _clients;
    private long _retries;

    /// <summary>Creates one channel per silo address.</summary>
    public FailoverClient(IEnumerable<Uri> silos)
    {
        _channels = [.. silos.Select(s => GrpcChannel.ForAddress(s, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) } }))];
        _clients = [.. _channels.Select(c => new Ipam.IpamClient(c))];
    }

    /// <summary>Retries so far.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Allocate with fail-over.</summary>
    public Task<AllocateResponse> AllocateAsync(AllocateRequest request, int preferred, TimeSpan deadline) =>
        CallAsync(preferred, deadline, (c, o) => c.AllocateAsync(request, o).ResponseAsync);

    /// <summary>Release with fail-over.</summary>
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, int preferred, TimeSpan deadline) =>
        CallAsync(preferred, deadline, (c, o) => c.ReleaseAsync(request, o).ResponseAsync);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private async Task<T> CallAsync<T>(int preferred, TimeSpan deadline, Func<Ipam.IpamClient, CallOptions, Task<T>> call)
    {
        var giveUpAt = DateTime.UtcNow + deadline;
        for (var attempt = 0; ; attempt++)
        {
            var client = _clients[(preferred + attempt) % _clients.Length];
            var attemptDeadline = DateTime.UtcNow + PerAttempt < giveUpAt ? DateTime.UtcNow + PerAttempt : giveUpAt;
            try
            {
                return await call(client, new CallOptions(deadline: attemptDeadline));
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Internal && DateTime.UtcNow < giveUpAt)
            {
                Interlocked.Increment(ref _retries);
                if (attempt % _clients.Length == _clients.Length - 1)
                {
                    await Task.Delay(Backoff);
                }
            }
        }
    }
}
