using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DistIpam.Server.Errors;

/// <summary>
/// The one place where failures become gRPC statuses (docs/architecture.md, "The gRPC edge"): domain failures by their
/// kind, cluster hiccups as UNAVAILABLE (safe to retry), anything else as INTERNAL with the message.
/// Every mapped failure is logged with an event id of its kind (docs/operations.md, "Log events").
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
        catch (RpcException e)
        {
            // Already a status (a service's own NOT_FOUND, a CHECK mismatch): logged like the rest.
            Log(e.Status, context.Method, null);
            throw;
        }
        catch (Exception e)
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
        catch (RpcException e)
        {
            // Already a status (a service's own NOT_FOUND, a CHECK mismatch): logged like the rest.
            Log(e.Status, context.Method, null);
            throw;
        }
        catch (Exception e)
        {
            throw Map(e, context.Method);
        }
    }

    private RpcException Map(Exception exception, string method)
    {
        var status = StatusMapper.ToStatus(exception);
        Log(status, method, exception);
        return new RpcException(status);
    }

    private void Log(Status status, string method, Exception? exception)
    {
        switch (status.StatusCode)
        {
            case StatusCode.Internal:
                LogInternal(exception, method);
                break;
            case StatusCode.Unavailable:
                LogRetryable(method, status.Detail);
                break;
            case StatusCode.ResourceExhausted:
                LogExhausted(method, status.Detail);
                break;
            case StatusCode.AlreadyExists:
                LogTaken(method, status.Detail);
                break;
            case StatusCode.FailedPrecondition:
                LogPrecondition(method, status.Detail);
                break;
            case StatusCode.NotFound:
                LogNotFound(method, status.Detail);
                break;
            case StatusCode.InvalidArgument:
                LogInvalid(method, status.Detail);
                break;
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "{Method} failed unexpectedly")]
    private partial void LogInternal(Exception? exception, string method);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "{Method} failed with a retryable error: {Reason}")]
    private partial void LogRetryable(string method, string reason);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "{Method} failed: exhausted: {Reason}")]
    private partial void LogExhausted(string method, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "{Method} failed: already taken: {Reason}")]
    private partial void LogTaken(string method, string reason);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "{Method} failed: precondition: {Reason}")]
    private partial void LogPrecondition(string method, string reason);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information, Message = "{Method} failed: not found: {Reason}")]
    private partial void LogNotFound(string method, string reason);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Information, Message = "{Method} failed: invalid argument: {Reason}")]
    private partial void LogInvalid(string method, string reason);
}
