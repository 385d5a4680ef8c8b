using System.Collections.Concurrent;
using DistIpam.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistIpam.Chaos.Tests.Client;

/// <summary>
/// What the CNI plugin does against a cluster: the silos in order starting at the preferred one,
/// <see cref="ClientDeadlines.PerAttempt"/> per attempt, retry with the same request on
/// UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED or a broken connection until
/// <see cref="ClientDeadlines.Operation"/> passes. It never throws for a server's answer: every
/// ending is a <see cref="CallOutcome{T}"/> the model can classify.
/// </summary>
internal sealed class ChaosClient(Func<IReadOnlyList<ServerProcess>> silos, ClientStatistics statistics) : IDisposable
{
    // The CNI plugin connects afresh on every run; a long-lived channel instead backs off after
    // failed connects (up to minutes by default) and would fail calls to a silo that is back.
    private static readonly TimeSpan MaxReconnectBackoff = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<ServerProcess, GrpcChannel> _channels = new();

    /// <summary>Counts of attempts, retries and INTERNAL answers.</summary>
    public ClientStatistics Statistics => statistics;

    /// <summary>
    /// Runs <paramref name="call"/> with fail-over starting at silo <paramref name="preferred"/>
    /// (modulo the silo count); with <paramref name="singleAttempt"/> only at that silo, once.
    /// </summary>
    public async Task<CallOutcome<T>> CallAsync<T>(string what, int preferred, Func<GrpcChannel, CallOptions, Task<T>> call, bool singleAttempt = false, CancellationToken cancellationToken = default)
        where T : class
    {
        var outcome = await CallWithRetriesAsync(what, preferred, call, singleAttempt, cancellationToken);
        statistics.Finished(what, outcome.Status);
        return outcome;
    }

    private async Task<CallOutcome<T>> CallWithRetriesAsync<T>(string what, int preferred, Func<GrpcChannel, CallOptions, Task<T>> call, bool singleAttempt, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(call);
        var giveUpAt = DateTime.UtcNow + ClientDeadlines.Operation;
        var code = StatusCode.OK;
        var detail = "";
        for (var attempt = 0; ; attempt++)
        {
            var current = silos();
            var silo = current[(preferred + attempt) % current.Count];
            var channel = ChannelTo(silo);
            statistics.Attempted();
            try
            {
                var attemptDeadline = DateTime.UtcNow + ClientDeadlines.PerAttempt;
                var reply = await call(channel, new CallOptions(deadline: attemptDeadline < giveUpAt ? attemptDeadline : giveUpAt, cancellationToken: cancellationToken));
                return new CallOutcome<T>(CallStatus.Succeeded, reply, StatusCode.OK, "", attempt + 1);
            }
            catch (RpcException e) when (IsDefinitive(e.StatusCode))
            {
                return new CallOutcome<T>(CallStatus.Refused, null, e.StatusCode, e.Status.Detail, attempt + 1);
            }
            catch (RpcException e) when (!IsRetryable(e.StatusCode))
            {
                statistics.Internal($"{what} at {silo.GrpcAddress}: {e.StatusCode} {e.Status.Detail}");
                return new CallOutcome<T>(CallStatus.Internal, null, e.StatusCode, e.Status.Detail, attempt + 1);
            }
            catch (RpcException e)
            {
                (code, detail) = (e.StatusCode, e.Status.Detail);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException)
            {
                (code, detail) = (StatusCode.Unavailable, e.Message);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (singleAttempt || DateTime.UtcNow >= giveUpAt)
            {
                return new CallOutcome<T>(CallStatus.Unknown, null, code, detail, attempt + 1);
            }

            statistics.Retried();
            if (attempt % current.Count == current.Count - 1)
            {
                await Task.Delay(ClientDeadlines.Backoff, cancellationToken);
            }
        }
    }

    /// <summary>The channel to one silo (shared by every call to it).</summary>
    public GrpcChannel ChannelTo(ServerProcess silo) => _channels.GetOrAdd(silo, s => GrpcChannel.ForAddress(s.GrpcAddress, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) },
        InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
        MaxReconnectBackoff = MaxReconnectBackoff,
    }));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    private static bool IsDefinitive(StatusCode code) => code is StatusCode.InvalidArgument or StatusCode.AlreadyExists
        or StatusCode.ResourceExhausted or StatusCode.FailedPrecondition or StatusCode.NotFound or StatusCode.OutOfRange;

    // UNKNOWN too: Grpc.Net.Client reports some broken HTTP/2 streams (a silo dying mid-reply) so.
    private static bool IsRetryable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Unknown;
}
