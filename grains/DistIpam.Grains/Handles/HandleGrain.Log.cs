using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Handles;

/// <summary>HandleGrain's log events.</summary>
public sealed partial class HandleGrain
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Handle {Handle} on node {Node} holds {Addresses}")]
    private partial void LogAllocated(string handle, string node, string addresses);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Handle {Handle} released {Count} address(es)")]
    private partial void LogReleased(string handle, int count);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Handle {Handle}: rollback of {Addresses} after '{Cause}' could not run now; the silo retries it until done")]
    private partial void LogRollbackDeferred(Exception exception, string handle, string addresses, string cause);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Handle {Handle}: the record of {Addresses} could not be written; they are released later unless a record holds them")]
    private partial void LogRecordWriteFailed(Exception exception, string handle, string addresses);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Handle {Handle}: released {Addresses}, which its record does not hold")]
    private partial void LogUnrecordedReleased(string handle, string addresses);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "Handle {Handle}: record removed, but releasing {Addresses} could not run now; the silo retries it until done")]
    private partial void LogReleaseDeferred(Exception exception, string handle, string addresses);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Handle {Handle}: dropping its empty state failed; it stays as an empty row")]
    private partial void LogForgetFailed(Exception exception, string handle);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Handle {Handle} took over {Addresses} from handle {Source}")]
    private partial void LogMoved(string handle, string source, string addresses);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Handle {Handle}: the move of {Addresses} from handle {Source} did not finish; a repeat finishes it, a DEL frees what moved")]
    private partial void LogMoveUnfinished(Exception exception, string handle, string source, string addresses);
}
