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
            $"{operation} via {endpoint}: gRPC {StatusName(exception.StatusCode)}",
            exception);
    }

    /// <summary>A one-line description of a failed call, including the transport cause gRPC hides in DebugException.</summary>
    public static string Describe(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = $"{StatusName(exception.StatusCode)}: {exception.Status.Detail}";
        for (var cause = exception.Status.DebugException; cause is not null; cause = cause.InnerException)
        {
            if (!text.Contains(cause.Message, StringComparison.Ordinal))
            {
                text += $" ({cause.Message})";
            }
        }

        return text;
    }

    /// <summary>The canonical upper-case name of a status code (RESOURCE_EXHAUSTED, ...).</summary>
    public static string StatusName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.Cancelled => "CANCELLED",
        StatusCode.Unknown => "UNKNOWN",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.Aborted => "ABORTED",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.Unimplemented => "UNIMPLEMENTED",
        StatusCode.Internal => "INTERNAL",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.DataLoss => "DATA_LOSS",
        StatusCode.Unauthenticated => "UNAUTHENTICATED",
        _ => code.ToString(),
    };
}
