using System.Diagnostics;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistIpam.Cni.Rpc;

/// <summary>
/// Calls the Ipam service with failover and one whole-call deadline. Endpoints are tried in order;
/// a retryable failure (unreachable, UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED) moves to the next one.
/// Each attempt may use an equal share of the time left among the endpoints not yet tried in the round.
/// When every endpoint failed, the round is repeated after a bounded backoff until the deadline
/// (if the caller allows it); then the call fails with code 11. Any other answer is final.
/// </summary>
internal sealed class IpamInvoker : IDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinConnectTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<ServerEndpoint> _endpoints;
    private readonly GrpcChannel?[] _channels;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _connectTimeout;
    private readonly long _started;
    private readonly TextWriter _log;
    private readonly ClientCredentials? _credentials;
    private readonly Metadata? _headers;

    /// <summary>Creates an invoker whose deadline starts now.</summary>
    public IpamInvoker(IReadOnlyList<ServerEndpoint> endpoints, TimeSpan timeout, TextWriter log, ClientCredentials? credentials = null)
    {
        _credentials = credentials;
        _headers = credentials?.Authorization is { } authorization ? new Metadata { { "authorization", authorization } } : null;
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentOutOfRangeException.ThrowIfZero(endpoints.Count);
        _endpoints = endpoints;
        _channels = new GrpcChannel?[endpoints.Count];
        _timeout = timeout;
        // Leave time for the later endpoints when an early one does not even accept a connection.
        _connectTimeout = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / endpoints.Count, MinConnectTimeout.Ticks, MaxConnectTimeout.Ticks));
        _started = Stopwatch.GetTimestamp();
        _log = log;
    }

    private TimeSpan Remaining => _timeout - Stopwatch.GetElapsedTime(_started);

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
        var lastFailure = new string?[_endpoints.Count];
        var attempts = 0;
        var backoff = FirstBackoff;
        using var deadline = new CancellationTokenSource(Positive(Remaining));
        while (true)
        {
            for (var i = 0; i < _endpoints.Count && Remaining > TimeSpan.Zero; i++)
            {
                attempts++;
                var endpoint = _endpoints[i];
                try
                {
                    // An endpoint that accepts connections but never answers must not eat the later endpoints' time:
                    // each gets an equal share of what is left; the last one gets all of it.
                    var budget = Remaining / (_endpoints.Count - i);
                    var options = new CallOptions(headers: _headers, deadline: DateTime.UtcNow + budget, cancellationToken: deadline.Token);
                    using var pending = call(new Ipam.IpamClient(Channel(i)), options);
                    return await pending.ResponseAsync.ConfigureAwait(false);
                }
                catch (RpcException e) when (RpcFailures.IsRetryable(e.StatusCode))
                {
                    lastFailure[i] = RpcFailures.Describe(e);
                    if (attempts <= _endpoints.Count)
                    {
                        // First round only: later rounds would repeat the same lines until the deadline.
                        _log.WriteLine($"distipam: {operation} via {endpoint} failed: {lastFailure[i]}");
                    }
                }
                catch (RpcException e)
                {
                    throw RpcFailures.ToCni(operation, endpoint.Text, e);
                }
                catch (OperationCanceledException)
                {
                    lastFailure[i] = "deadline reached";
                }
            }

            var wait = backoff < Remaining ? backoff : Remaining;
            if (!retryUntilDeadline || wait <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                await Task.Delay(wait, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
        }

        var tried = string.Join("; ", _endpoints.Select((e, i) => $"{e}: {lastFailure[i] ?? "not tried (deadline reached)"}"));
        throw new CniException(
            CniErrorCode.TryAgainLater,
            $"no DistIpam server answered {operation} within {_timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s ({attempts.ToString(CultureInfo.InvariantCulture)} attempts)",
            tried);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel?.Dispose();
        }
    }

    private static TimeSpan Positive(TimeSpan value) => value > TimeSpan.Zero ? value : TimeSpan.FromMilliseconds(1);

    private GrpcChannel Channel(int index) => _channels[index] ??= ChannelFactory.Create(_endpoints[index], _connectTimeout, _credentials);
}
