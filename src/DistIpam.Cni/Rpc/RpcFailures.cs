using DistIpam.Client;
using DistIpam.Cni.Errors;
using Grpc.Core;

namespace DistIpam.Cni.Rpc;

/// <summary>How gRPC failures become retries or CNI error codes. The only place that knows both vocabularies.</summary>
internal static class RpcFailures
{
    /// <summary>Whether a call that failed with <paramref name="code"/> may be sent again (to this or another endpoint).</summary>
    /// <remarks>The server promises that UNAVAILABLE changed nothing; ABORTED is a lost race; DEADLINE_EXCEEDED and
    /// CANCELLED on the client side are a slow or unreachable endpoint. Every verb is idempotent per handle.</remarks>
    public static bool IsRetryable(StatusCode code) =>
        code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.Cancelled;

    /// <summary>The CNI code for a final (non-retryable) server answer.</summary>
    public static int CniCodeOf(StatusCode code) => code switch
    {
        StatusCode.ResourceExhausted => CniErrorCode.PoolExhausted,
        StatusCode.AlreadyExists => CniErrorCode.AddressTaken,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => CniErrorCode.InvalidRequest,
        StatusCode.NotFound => CniErrorCode.NotFound,
        StatusCode.FailedPrecondition => CniErrorCode.FailedPrecondition,
        _ when IsRetryable(code) => CniErrorCode.TryAgainLater,
        _ => CniErrorCode.ServerError,
    };

    /// <summary>The CNI failure for a final server answer to <paramref name="operation"/> from <paramref name="endpoint"/>.</summary>
    public static CniException ToCni(string operation, string endpoint, RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var detail = string.IsNullOrEmpty(exception.Status.Detail) ? exception.StatusCode.ToString() : exception.Status.Detail;
        return new CniException(
            CniCodeOf(exception.StatusCode),
            detail,
            $"{operation} via {endpoint}: gRPC {RpcStatusText.Name(exception.StatusCode)}",
            exception);
    }
}
