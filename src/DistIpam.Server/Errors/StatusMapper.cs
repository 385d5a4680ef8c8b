using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using Grpc.Core;
using Orleans.Runtime;
using Orleans.Storage;

namespace DistIpam.Server.Errors;

/// <summary>Maps a failure to a gRPC status.</summary>
public static class StatusMapper
{
    /// <summary>The status for <paramref name="exception"/>.</summary>
    public static Status ToStatus(Exception exception) => exception switch
    {
        IpamGrainException e => new Status(CodeOf(e.Kind), e.Message),
        IpamException e => new Status(CodeOf(e.Kind), e.Message),
        RequestValidationException e => new Status(StatusCode.InvalidArgument, e.Message),

        // A duplicate activation lost its write, or a silo is moving: nothing was acknowledged.
        InconsistentStateException e => new Status(StatusCode.Unavailable, $"concurrent update, retry: {e.Message}"),
        SiloUnavailableException e => new Status(StatusCode.Unavailable, $"silo unavailable, retry: {e.Message}"),
        OrleansMessageRejectionException e => new Status(StatusCode.Unavailable, $"request rejected by the cluster, retry: {e.Message}"),
        TimeoutException e => new Status(StatusCode.Unavailable, $"timed out inside the cluster, retry: {e.Message}"),
        OperationCanceledException => new Status(StatusCode.Cancelled, "cancelled"),
        _ => new Status(StatusCode.Internal, exception.Message),
    };

    /// <summary>The status code for a domain failure kind.</summary>
    public static StatusCode CodeOf(IpamErrorKind kind) => kind switch
    {
        IpamErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        IpamErrorKind.NotFound => StatusCode.NotFound,
        IpamErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        IpamErrorKind.Exhausted => StatusCode.ResourceExhausted,
        IpamErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        IpamErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
