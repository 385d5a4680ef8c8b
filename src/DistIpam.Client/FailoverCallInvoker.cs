using Grpc.Core;

namespace DistIpam.Client;

/// <summary>
/// Sends unary calls to the endpoints in order, starting at a preferred one: an attempt that fails
/// with UNAVAILABLE (which the server promises changed nothing, and which is also what an
/// unreachable endpoint gives), or with a per-attempt timeout or ABORTED when
/// <see cref="DistIpamClientOptions.RetryTimeouts"/> is set, is sent again, unchanged, to the next
/// endpoint; after a whole round the client waits a bounded, doubling backoff. Any other answer is
/// final. The call gives up with the last failure at its deadline. Streaming calls go to the
/// preferred endpoint only: a broken stream is the caller's to resume (a watch resumes from its
/// last version, possibly on another endpoint).
/// </summary>
internal sealed class FailoverCallInvoker(DistIpamClient client, int preferred) : CallInvoker
{
    /// <inheritdoc />
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        UnaryAsync(method, host, options, request).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var last = new LastAttempt<TResponse>();
        var response = UnaryAsync(method, host, options, request, last);
        return new AsyncUnaryCall<TResponse>(
            response,
            HeadersAsync(response, last),
            () => last.Call?.GetStatus() ?? Status.DefaultSuccess,
            () => last.Call?.GetTrailers() ?? [],
            () => last.Call?.Dispose());
    }

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        client.Channel(preferred).CreateCallInvoker().AsyncServerStreamingCall(method, host, options.WithHeaders(client.HeadersFor(options.Headers)), request);

    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        client.Channel(preferred).CreateCallInvoker().AsyncClientStreamingCall(method, host, options.WithHeaders(client.HeadersFor(options.Headers)));

    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        client.Channel(preferred).CreateCallInvoker().AsyncDuplexStreamingCall(method, host, options.WithHeaders(client.HeadersFor(options.Headers)));

    private static async Task<Metadata> HeadersAsync<TResponse>(Task<TResponse> response, LastAttempt<TResponse> last)
    {
        try
        {
            await response.ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // The headers of a failed call are whatever its last attempt had.
        }

        return last.Call is { } call ? await call.ResponseHeadersAsync.ConfigureAwait(false) : [];
    }

    private async Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request, LastAttempt<TResponse>? last = null)
        where TRequest : class
        where TResponse : class
    {
        var settings = client.Options;
        var giveUpAt = DateTime.UtcNow + settings.Timeout;
        if (options.Deadline is { } callerDeadline && callerDeadline.ToUniversalTime() < giveUpAt)
        {
            giveUpAt = callerDeadline.ToUniversalTime();
        }

        var headers = client.HeadersFor(options.Headers);
        var count = client.Endpoints.Count;
        var lastAttempt = settings.MaxRounds > 0 ? settings.MaxRounds * count : int.MaxValue;
        var backoff = settings.Backoff;
        RpcException? lastFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            var index = (preferred + attempt - 1) % count;
            var attemptDeadline = AttemptDeadline(settings, giveUpAt, count - ((attempt - 1) % count));
            var call = client.Channel(index).CreateCallInvoker().AsyncUnaryCall(method, host, options.WithDeadline(attemptDeadline).WithHeaders(headers), request);
            if (last is not null)
            {
                last.Call?.Dispose();
                last.Call = call;
            }

            try
            {
                var response = await call.ResponseAsync.ConfigureAwait(false);
                if (last is null)
                {
                    call.Dispose();
                }

                return response;
            }
            catch (RpcException e)
            {
                var retrying = IsRetryable(e.StatusCode, settings) && attempt < lastAttempt && DateTime.UtcNow < giveUpAt && !options.CancellationToken.IsCancellationRequested;
                client.CountFailure(new ClientAttemptFailure(method.FullName, client.Endpoints[index], attempt, e.Status, retrying));
                if (!retrying)
                {
                    throw;
                }

                lastFailure = e;
                if (last is null)
                {
                    call.Dispose();
                }
            }

            if (attempt % count == 0)
            {
                var left = giveUpAt - DateTime.UtcNow;
                var pause = backoff < left ? backoff : left;
                if (pause > TimeSpan.Zero)
                {
                    await Task.Delay(pause, options.CancellationToken).ConfigureAwait(false);
                }

                backoff = backoff * 2 < settings.MaxBackoff ? backoff * 2 : settings.MaxBackoff;
            }

            if (DateTime.UtcNow >= giveUpAt)
            {
                // Out of time between attempts: the last real answer says more than a zero-length attempt would.
                throw lastFailure;
            }
        }
    }

    /// <summary>When one attempt gives up: its own timeout, the call's deadline, and with <see cref="DistIpamClientOptions.ShareTimeAmongEndpoints"/> its share of what is left.</summary>
    private static DateTime AttemptDeadline(DistIpamClientOptions settings, DateTime giveUpAt, int untriedInRound)
    {
        var now = DateTime.UtcNow;
        var budget = settings.AttemptTimeout;
        if (settings.ShareTimeAmongEndpoints)
        {
            var share = (giveUpAt - now) / untriedInRound;
            budget = share < budget ? share : budget;
        }

        return now + budget < giveUpAt ? now + budget : giveUpAt;
    }

    private static bool IsRetryable(StatusCode code, DistIpamClientOptions settings) =>
        code == StatusCode.Unavailable
        || (settings.RetryTimeouts && code is StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.Cancelled)
        || settings.AlsoRetry.Contains(code);

    /// <summary>The attempt whose status, headers and trailers the call reports.</summary>
    private sealed class LastAttempt<TResponse>
    {
        public AsyncUnaryCall<TResponse>? Call { get; set; }
    }
}
