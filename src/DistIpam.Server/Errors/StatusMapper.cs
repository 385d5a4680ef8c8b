using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Storage.Redis;
using Grpc.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using StackExchange.Redis;

namespace DistIpam.Server.Errors;

/// <summary>
/// Maps a failure to a gRPC status (docs/operations.md, "Errors"). The exception and everything it
/// wraps are looked at outermost first; the first one recognized decides. Storage outages, writes
/// whose outcome is unknown and cluster changes (a dead or unreachable silo) are UNAVAILABLE, which
/// clients retry (CNI code 11); INTERNAL is left for what no retry can fix: a bug.
/// </summary>
public static class StatusMapper
{
    // Longer details are cut: Orleans' messages carry whole exception dumps.
    private const int MaxDetailLength = 400;

    // Redis error prefixes of a server that cannot take the command now but will (loading its AOF,
    // running a slow script, a replica, failing to persist); anything else is a bug in a command.
    private static readonly string[] TransientRedisErrors = ["LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "MISCONF"];

    // Orleans reports a grain directory in the middle of a membership change with a bare
    // OrleansException; only its text tells. Seen in the chaos suite after a silo was declared dead.
    private static readonly string[] DirectoryInstability = ["on invalid silo", "is not stable to perform the lookup", "hop limit is reached", "target silo is no longer active"];

    /// <summary>The status for <paramref name="exception"/>.</summary>
    public static Status ToStatus(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        foreach (var e in ExceptionChain.Of(exception))
        {
            if (Recognize(e) is { } status)
            {
                return status;
            }
        }

        return new Status(StatusCode.Internal, Detail(exception.Message));
    }

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

    private static Status? Recognize(Exception e) => e switch
    {
        IpamGrainException x => new Status(CodeOf(x.Kind), x.Message),
        IpamException x => new Status(CodeOf(x.Kind), x.Message),
        RequestValidationException x => new Status(StatusCode.InvalidArgument, x.Message),

        // Nothing was acknowledged: a duplicate activation lost its write, or this silo was declared
        // dead and its write refused.
        InconsistentStateException x => Unavailable("concurrent update of the same state", x),
        StorageFencedException x => Unavailable("this server was declared dead by the cluster; its write was refused", x),

        // Storage outages. A write that failed this way may or may not have been applied; the grain
        // re-reads its state before serving again, and the client's retry is idempotent per handle.
        StorageUnavailableException x => Unavailable("storage (Redis) unavailable, the outcome of a write is unknown", x),
        RedisConnectionException x => Unavailable("storage (Redis) connection failed", x),
        RedisTimeoutException x => Unavailable("storage (Redis) did not answer in time", x),
        RedisServerException x when IsTransient(x) => Unavailable("storage (Redis) cannot serve now", x),
        SqliteException x when IsTransient(x) => Unavailable("storage (SQLite) busy or failing, the outcome of a write is unknown", x),

        // The cluster is changing: a silo died, was declared dead, is stopping or overloaded, or a
        // connection between silos broke. Another attempt finds the grain's new home.
        SiloUnavailableException x => Unavailable("a silo is unavailable (dead or declared dead)", x),
        OrleansMessageRejectionException x => Unavailable("the request was rejected by the cluster (a silo is stopping or unreachable)", x),
        GatewayTooBusyException x => Unavailable("the cluster is overloaded", x),
        LimitExceededException x => Unavailable("the cluster is overloaded", x),
        ClientNotAvailableException x => Unavailable("a cluster client is unavailable", x),
        OrleansLifecycleCanceledException x => Unavailable("this server is stopping", x),
        Orleans.Runtime.MembershipService.OrleansMissingMembershipEntryException x => Unavailable("this server is not (or no longer) in the cluster's membership", x),
        Orleans.Runtime.MembershipService.OrleansClusterConnectivityCheckFailedException x => Unavailable("this server cannot reach the cluster", x),
        ConnectionFailedException x => Unavailable("connection to a silo lost", x),
        ConnectionAbortedException x => Unavailable("connection to a silo lost", x),
        ConnectionResetException x => Unavailable("connection to a silo lost", x),
        System.Net.Sockets.SocketException x => Unavailable("connection lost", x),
        TimeoutException x => Unavailable("timed out inside the cluster", x),
        OrleansException x when IsDirectoryInstability(x) => Unavailable("the cluster's grain directory is changing (a silo died or was declared dead)", x),

        // Not the client's own cancellation (gRPC reports that, and the client no longer listens):
        // work cancelled inside the server because it is stopping or its deadline passed.
        OperationCanceledException x => Unavailable("cancelled inside the server (stopping, or the deadline passed)", x),
        _ => null,
    };

    private static bool IsDirectoryInstability(OrleansException e) =>
        DirectoryInstability.Any(text => e.Message.Contains(text, StringComparison.Ordinal));

    private static bool IsTransient(RedisServerException e) =>
        TransientRedisErrors.Any(prefix => e.Message.StartsWith(prefix, StringComparison.Ordinal));

    // SQLite primary result codes (the low byte of an extended code) that report a state of the
    // file or the machine, not a wrong statement: BUSY 5, LOCKED 6, NOMEM 7, READONLY 8,
    // INTERRUPT 9, IOERR 10, FULL 13, CANTOPEN 14, PROTOCOL 15.
    private static bool IsTransient(SqliteException e) => (e.SqliteErrorCode & 0xFF) is 5 or 6 or 7 or 8 or 9 or 10 or 13 or 14 or 15;

    private static Status Unavailable(string what, Exception e) => new(StatusCode.Unavailable, Detail($"{what}, retry: {e.Message}"));

    private static string Detail(string message)
    {
        var firstLine = message.AsSpan();
        var end = firstLine.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            firstLine = firstLine[..end];
        }

        return firstLine.Length <= MaxDetailLength ? firstLine.ToString() : string.Concat(firstLine[..MaxDetailLength], "…");
    }
}
