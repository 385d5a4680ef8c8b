using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DistIpam.Server.Hosting;

/// <summary>Feeds grpc.health.v1 from <see cref="ReadinessState"/>.</summary>
public sealed class ReadinessHealthCheck(ReadinessState readiness) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(readiness.NotReadyReason));
}
