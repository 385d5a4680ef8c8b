using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;
using Grpc.Core;

namespace DistIpam.Cni.Rpc;

/// <summary>
/// Calls the Ipam service through DistIpam.Client with failover and one whole-call deadline
/// (docs/cni.md, "Deadline, failover and retries"). Endpoints are tried in order; a retryable failure
/// (unreachable, UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED) moves to the next one. Each attempt may use
/// an equal share of the time left among the endpoints not yet tried in the round. When every endpoint
/// failed, the round is repeated after a bounded backoff until the deadline (if the caller allows it);
/// then the call fails with code 11. Any other answer is final. What stays here is the CNI's part:
/// the log lines on stderr and the translation of the outcome into CNI codes.
/// </summary>
internal sealed class IpamInvoker
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinConnectTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<ClientEndpoint> _endpoints;
    private readonly TimeSpan _timeout;
    private readonly long _started;
    private readonly TextWriter _log;
    private readonly ClientCredentials? _credentials;

    /// <summary>Creates an invoker whose deadline starts now.</summary>
    public IpamInvoker(IReadOnlyList<ClientEndpoint> endpoints, TimeSpan timeout, TextWriter log, ClientCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        _endpoints = endpoints;
        _timeout = timeout;
        _started = Stopwatch.GetTimestamp();
        _log = log;
        _credentials = credentials;
    }

    /// <summary>Sends one unary call; see the class summary for failover, retries and errors.</summary>
    /// <param name="operation">The RPC name, for messages.</param>
    /// <param name="call">Starts the call on a client with the given options.</param>
    /// <param name="retryUntilDeadline">Repeat failed rounds until the deadline (false: one round only).</param>
    public async Task<TResponse> CallAsync<TResponse>(
        string operation,
        Func<Ipam.IpamClient, CallOptions, AsyncUnaryCall<TResponse>> call,
        bool retryUntilDeadline)
    {
        ArgumentNullException.ThrowIfNull(call);
        var failures = new AttemptLog(_endpoints, operation, _log);
        var remaining = _timeout - Stopwatch.GetElapsedTime(_started);
        using var client = new DistIpamClient(new DistIpamClientOptions
        {
            Endpoints = Texts(_endpoints),
            Timeout = remaining,
            // No fixed per-attempt cap: the equal share of what is left bounds each attempt.
            AttemptTimeout = remaining,
            ShareTimeAmongEndpoints = true,
            MaxRounds = retryUntilDeadline ? 0 : 1,
            // Leave time for the later endpoints when an early one does not even accept a connection.
            ConnectTimeout = TimeSpan.FromTicks(Math.Clamp(_timeout.Ticks / _endpoints.Count, MinConnectTimeout.Ticks, MaxConnectTimeout.Ticks)),
            // One call per process: no idle connection to keep alive, and no heartbeat timer to start.
            KeepAlivePingDelay = Timeout.InfiniteTimeSpan,
            Backoff = FirstBackoff,
            MaxBackoff = MaxBackoff,
            RetryTimeouts = true,
            TrustedRoots = _credentials?.Authorities,
            ClientCertificate = _credentials?.Certificate,
            Token = _credentials?.Token,
            OnAttemptFailed = failures.Add,
        });

        try
        {
            using var pending = call(client.Ipam, new CallOptions(deadline: DateTime.UtcNow + remaining));
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e) when (!RpcFailures.IsRetryable(e.StatusCode))
        {
            throw RpcFailures.ToCni(operation, failures.LastEndpoint ?? _endpoints[0].Text, e);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException)
        {
            throw new CniException(
                CniErrorCode.TryAgainLater,
                $"no DistIpam server answered {operation} within {_timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s ({failures.Count.ToString(CultureInfo.InvariantCulture)} attempts)",
                failures.Summary());
        }
    }

    private static string[] Texts(IReadOnlyList<ClientEndpoint> endpoints)
    {
        var texts = new string[endpoints.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = endpoints[i].Text;
        }

        return texts;
    }
}
