using Microsoft.Extensions.Logging;

namespace DistIpam.Grains.Services;

/// <summary>Logging.</summary>
public sealed partial class ServiceGrain
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Service {Service} created with cluster IPs [{ClusterIps}] at version {Version}")]
    private partial void LogCreated(string service, string clusterIps, long version);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Debug, Message = "Service {Service} deleted")]
    private partial void LogDeleted(string service);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Service {Service}: giving back {Values} after '{Cause}' failed; they stay held")]
    private partial void LogRollbackFailed(Exception exception, string service, string values, string cause);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Service {Service}: state write failed; reloading")]
    private partial void LogWriteFailed(Exception exception, string service);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Error, Message = "Service {Service}: republishing the durable state after a failed write failed; watchers may hold a state that was never written until the next change")]
    private partial void LogResyncFailed(Exception exception, string service);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Service {Service}: removing it from the index failed; List skips it")]
    private partial void LogIndexRemoveFailed(Exception exception, string service);
}
