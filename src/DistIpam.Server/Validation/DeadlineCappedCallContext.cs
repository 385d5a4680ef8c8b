using Grpc.Core;

namespace DistIpam.Server.Validation;

/// <summary>
/// A unary call's context with a deadline no later than the server's cap: the same call, whose
/// cancellation token also fires when the cap passes (<see cref="RequestDeadlineInterceptor"/>).
/// Everything else is the inner context's.
/// </summary>
internal sealed class DeadlineCappedCallContext : ServerCallContext
{
    // Where Grpc.AspNetCore's GetHttpContext() finds the request on a context it did not create;
    // the interceptors after this one and the services resolve the HTTP request through it.
    private const string HttpContextKey = "__HttpContext";

    private readonly ServerCallContext _inner;
    private readonly DateTime _deadline;
    private readonly CancellationToken _cancellation;

    public DeadlineCappedCallContext(ServerCallContext inner, DateTime deadline, CancellationToken cancellation)
    {
        _inner = inner;
        _deadline = deadline;
        _cancellation = cancellation;
        if (!inner.UserState.ContainsKey(HttpContextKey) && TryGetHttpContext(inner) is { } http)
        {
            inner.UserState[HttpContextKey] = http;
        }
    }

    protected override string MethodCore => _inner.Method;

    protected override string HostCore => _inner.Host;

    protected override string PeerCore => _inner.Peer;

    protected override DateTime DeadlineCore => _deadline;

    protected override Metadata RequestHeadersCore => _inner.RequestHeaders;

    protected override CancellationToken CancellationTokenCore => _cancellation;

    protected override Metadata ResponseTrailersCore => _inner.ResponseTrailers;

    protected override Status StatusCore
    {
        get => _inner.Status;
        set => _inner.Status = value;
    }

    protected override WriteOptions? WriteOptionsCore
    {
        get => _inner.WriteOptions;
        set => _inner.WriteOptions = value;
    }

    protected override AuthContext AuthContextCore => _inner.AuthContext;

    protected override IDictionary<object, object> UserStateCore => _inner.UserState;

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        _inner.CreatePropagationToken(options);

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) =>
        _inner.WriteResponseHeadersAsync(responseHeaders);

    private static Microsoft.AspNetCore.Http.HttpContext? TryGetHttpContext(ServerCallContext context)
    {
        try
        {
            return context.GetHttpContext();
        }
        catch (InvalidOperationException)
        {
            return null; // not a call served by ASP.NET Core (unit tests)
        }
    }
}
