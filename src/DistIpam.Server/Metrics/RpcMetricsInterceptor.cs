using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DistIpam.Server.Metrics;

/// <summary>
/// Latency of every unary RPC by method and status, and failures by method and status (errors by
/// kind). Registered outside the error mapping, so it sees the status the caller gets.
/// </summary>
public sealed class RpcMetricsInterceptor : Interceptor, IDisposable
{
    private readonly Meter _meter = new(IpamMetrics.MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;

    /// <summary>Creates the instruments.</summary>
    public RpcMetricsInterceptor()
    {
        _duration = _meter.CreateHistogram<double>("distipam_rpc_duration", unit: "s", description: "Server-side duration of unary RPCs by method and status");
        _errors = _meter.CreateCounter<long>("distipam_rpc_errors", description: "Failed RPCs by method and status (RESOURCE_EXHAUSTED = pool full, ALREADY_EXISTS = address taken, UNAVAILABLE = retry, ...)");
    }

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var started = Stopwatch.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            throw;
        }
        catch
        {
            status = StatusCode.Unknown;
            throw;
        }
        finally
        {
            var method = new KeyValuePair<string, object?>("method", context.Method);
            var code = new KeyValuePair<string, object?>("status", status.ToString());
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, method, code);
            if (status != StatusCode.OK)
            {
                _errors.Add(1, method, code);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
