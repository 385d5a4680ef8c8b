using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DistIpam.Server.Fencing;

/// <summary>
/// Refuses to start a call the silo must not serve (<see cref="SiloFence"/>) with UNAVAILABLE, so
/// the client fails over, and one whose deadline has passed or that was cancelled: nothing is
/// started for a caller who has given up (docs/architecture.md, "Fencing").
/// </summary>
public sealed class FenceInterceptor(SiloFence fence) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Admit(context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Admit(context);
        return continuation(request, responseStream, context);
    }

    private void Admit(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Method.StartsWith("/grpc.", StringComparison.Ordinal))
        {
            // Health and reflection answer even while fenced: health reports NOT_SERVING through readiness.
            return;
        }

        if (fence.WhyNotServing() is { } reason)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"{reason}; retry on another server"));
        }

        if (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled before it started"));
        }

        if (context.Deadline <= DateTime.UtcNow)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, "the call's deadline passed before it started; nothing was done"));
        }
    }
}
