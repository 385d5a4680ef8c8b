using DistIpam.Api.V1;
using DistIpam.Grains.Handles;
using DistIpam.Server.Errors;
using DistIpam.Server.Services;
using DistIpam.Server.Validation;
using Grpc.Core;
using Grpc.Core.Interceptors;
using DistIpam.Server.Hosting;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Security;

/// <summary>
/// Authenticates every gRPC call and applies <see cref="AuthorizationPolicy"/> before any service
/// code runs, so a refused call changes nothing. Refusals are logged with identity and method.
/// Does nothing while authentication is off (the embedded loopback default).
/// </summary>
public sealed partial class AuthorizationInterceptor(
    IdentityResolver identities,
    StreamLimiter streams,
    IOptions<DistIpamOptions> options,
    IGrainFactory grains,
    ILogger<AuthorizationInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context, request).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        // Per identity: with authentication off every local client shares one address, and a
        // thousand watchers of one trusted host are a supported load (docs/operations.md).
        var caller = await AuthorizeAsync(context, request).ConfigureAwait(false);
        if (caller is null)
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return;
        }

        var key = caller.ToString();
        var limit = options.Value.Auth.MaxWatchesPerIdentity;
        if (!streams.TryEnter(key, limit))
        {
            LogTooManyStreams(key, context.Method, limit);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{key} already holds {limit} open watches (DistIpam:Auth:MaxWatchesPerIdentity)"));
        }

        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        finally
        {
            streams.Exit(key);
        }
    }

    /// <inheritdoc />
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context, null).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        await AuthorizeAsync(context, null).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    private async Task<CallerIdentity?> AuthorizeAsync(ServerCallContext context, object? request)
    {
        if (!identities.Enabled)
        {
            return null;
        }

        var method = context.Method;
        var rule = AuthorizationPolicy.For(method);
        var caller = identities.Resolve(context);
        if (caller is null)
        {
            if (rule.Anonymous)
            {
                return null;
            }

            LogUnauthenticated(method, context.Peer);
            throw new RpcException(new Status(StatusCode.Unauthenticated, "authentication required: a client certificate of the client CA, or 'authorization: Bearer <token>'"));
        }

        var refusal = AuthorizationPolicy.Refusal(method, caller, request);
        if (refusal is null && caller.Role == CallerRole.Node && request is not null && rule.HandleOf?.Invoke(request) is { } handle)
        {
            refusal = await HandleRefusalAsync(caller, handle).ConfigureAwait(false);
        }

        if (refusal is not null)
        {
            LogDenied(caller.ToString(), method, refusal);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{caller} may not call {method}: {refusal}"));
        }

        return caller;
    }

    // A node cannot release or check another node's handle by naming it: the handle's own record
    // says which node holds it. An invalid handle is left to the service, which refuses it.
    private async Task<string?> HandleRefusalAsync(CallerIdentity caller, Handle handle)
    {
        try
        {
            RequestValidator.Handle(handle);
        }
        catch (RequestValidationException)
        {
            return null;
        }

        var record = await grains.GetGrain<IHandleGrain>(ProtoMapper.KeyOf(handle)).GetAsync().ConfigureAwait(false);
        return record is null || string.Equals(record.Node, caller.Node, StringComparison.Ordinal)
            ? null
            : "the handle is held by another node";
    }

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "{Caller} refused {Method}: it already holds {Limit} open watches")]
    private partial void LogTooManyStreams(string caller, string method, int limit);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Unauthenticated call to {Method} from {Peer} refused")]
    private partial void LogUnauthenticated(string method, string peer);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "{Identity} denied {Method}: {Reason}")]
    private partial void LogDenied(string identity, string method, string reason);
}
