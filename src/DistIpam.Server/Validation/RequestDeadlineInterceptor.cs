using DistIpam.Server.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Validation;

/// <summary>
/// Caps how long the server works on one unary call (<see cref="DistIpamOptions.MaxRequestDuration"/>):
/// a call without a deadline, or with a later one, is cancelled when the cap passes and answered
/// DEADLINE_EXCEEDED, so a client cannot hold server work open forever. The work it cancels is
/// cancelled exactly as a client's own deadline would cancel it (docs/security.md, "Limits").
/// Streaming calls (Watch) are bounded by the watch limits instead.
/// </summary>
public sealed class RequestDeadlineInterceptor(IOptions<DistIpamOptions> options) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var cap = options.Value.MaxRequestDuration;
        var capped = DateTime.UtcNow + cap;
        if (cap <= TimeSpan.Zero || context.Deadline <= capped)
        {
            return await continuation(request, context);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(cap);
        try
        {
            return await continuation(request, new DeadlineCappedCallContext(context, capped, timeout.Token));
        }
        catch (Exception) when (timeout.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            // Whatever the cancelled work threw (mapped further in as UNAVAILABLE), the cause is the cap.
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"the server's limit of {cap.TotalSeconds:0} s per request passed (DistIpam:MaxRequestDuration); retry"));
        }
    }
}
