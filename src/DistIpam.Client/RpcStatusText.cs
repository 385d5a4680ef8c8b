using Grpc.Core;

namespace DistIpam.Client;

/// <summary>How a gRPC failure reads in a message or a log line.</summary>
public static class RpcStatusText
{
    /// <summary>The canonical upper-case name of a status code (RESOURCE_EXHAUSTED, ...), as gRPC's other languages print it.</summary>
    public static string Name(StatusCode code) => code switch
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

    /// <summary>
    /// <c>NAME: detail</c> plus the transport causes gRPC keeps in <see cref="Status.DebugException"/>
    /// (a refused connection or a missing socket says why only there).
    /// </summary>
    public static string Describe(Status status)
    {
        var text = $"{Name(status.StatusCode)}: {status.Detail}";
        for (var cause = status.DebugException; cause is not null; cause = cause.InnerException)
        {
            if (!text.Contains(cause.Message, StringComparison.Ordinal))
            {
                text += $" ({cause.Message})";
            }
        }

        return text;
    }
}
