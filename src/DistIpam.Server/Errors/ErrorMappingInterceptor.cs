using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DistIpam.Server.Errors;

/// <summary>
/// The one place where failures become gRPC statuses (docs/architecture.md, "The gRPC edge"): domain failures by their
/// kind, cluster hiccups as UNAVAILABLE (safe to retry), anything else as INTERNAL with the message.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context.Method);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context.Method);
        }
    }

    private RpcException Map(Exception exception, string method)
    {
        var status = StatusMapper.ToStatus(exception);
        if (status.StatusCode == StatusCode.Internal)
        {
            LogInternal(exception, method);
        }
        else if (status.StatusCode == StatusCode.Unavailable)
        {
            LogRetryable(method, exception.Message);
        }

        return new RpcException(status);
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "{Method} failed unexpectedly")]
    private partial void LogInternal(Exception exception, string method);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "{Method} failed with a retryable error: {Reason}")]
    private partial void LogRetryable(string method, string reason);
}
