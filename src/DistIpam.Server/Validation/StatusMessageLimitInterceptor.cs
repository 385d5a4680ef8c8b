using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DistIpam.Server.Validation;

/// <summary>
/// Caps the message of every failed call: a refusal that quotes a hostile value must not turn a
/// 70 KB field into a 70 KB grpc-message header, which the client's HPACK limit (64 KiB) turns
/// into a torn-down connection for every call on it (found by the gRPC fuzz suite).
/// </summary>
public sealed class StatusMessageLimitInterceptor : Interceptor
{
    /// <summary>The longest status message sent.</summary>
    public const int MaxMessageLength = 512;

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Status.Detail.Length > MaxMessageLength)
        {
            throw Shortened(e);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.Status.Detail.Length > MaxMessageLength)
        {
            throw Shortened(e);
        }
    }

    private static RpcException Shortened(RpcException e) =>
        new(new Status(e.StatusCode, e.Status.Detail[..MaxMessageLength] + $"… ({e.Status.Detail.Length} characters)"), e.Trailers);
}
