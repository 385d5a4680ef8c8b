using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Services;

/// <summary>Logging.</summary>
public sealed partial class ServiceGrain
{
    [LoggerMessage(EventId = 7011, Level = LogLevel.Debug, Message = "Service {Service} created with cluster IPs [{ClusterIps}] at version {Version}")]
    private partial void LogCreated(string service, string clusterIps, long version);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Debug, Message = "Service {Service} deleted")]
    private partial void LogDeleted(string service);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Error, Message = "Service {Service}: giving back {Values} after '{Cause}' failed; they stay held until the reconciliation frees them")]
    private partial void LogRollbackFailed(Exception exception, string service, string values, string cause);

    [LoggerMessage(EventId = 7014, Level = LogLevel.Warning, Message = "Service {Service}: state write failed; reloading")]
    private partial void LogWriteFailed(Exception exception, string service);

    [LoggerMessage(EventId = 7015, Level = LogLevel.Warning, Message = "Service {Service}: its change is durable but appending it to the feed failed; retrying")]
    private partial void LogPublishFailed(Exception exception, string service);

    [LoggerMessage(EventId = 7016, Level = LogLevel.Warning, Message = "Service {Service}: removing it from the index failed; List skips it")]
    private partial void LogIndexRemoveFailed(Exception exception, string service);

    [LoggerMessage(EventId = 7017, Level = LogLevel.Warning, Message = "Service {Service}: clearing the state of the deleted service failed; a record-less state stays in storage")]
    private partial void LogClearFailed(Exception exception, string service);

    [LoggerMessage(EventId = 7018, Level = LogLevel.Warning, Message = "Service {Service}: writing the published versions on deactivation failed; the next activation re-publishes the last change")]
    private partial void LogStampFailed(Exception exception, string service);
}
