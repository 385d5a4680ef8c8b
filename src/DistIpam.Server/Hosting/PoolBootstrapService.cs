using DistIpam.Grains.Pools;
using DistIpam.Server.Errors;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Hosting;

/// <summary>
/// Applies the configured pools once the silo runs. Idempotent: existing pools with the same
/// CIDR, block size, kind and wiring are kept. A conflict with stored state stops the process
/// with a non-zero exit code instead of serving from a configuration that does not match; a storage
/// outage at start is retried for <see cref="TransientRetryBound"/> first.
/// </summary>
public sealed partial class PoolBootstrapService(
    IGrainFactory grains,
    IOptions<DistIpamOptions> options,
    ReadinessState readiness,
    IHostApplicationLifetime lifetime,
    ILogger<PoolBootstrapService> logger) : IHostedService
{
    /// <summary>How long a storage outage at start is waited out before the server gives up.</summary>
    public static readonly TimeSpan TransientRetryBound = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var catalog = grains.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key);
        foreach (var pool in options.Value.Pools)
        {
            var definition = ToDefinition(pool);
            var giveUpAt = DateTime.UtcNow + TransientRetryBound;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var applied = await catalog.EnsureAsync(definition);
                    LogPoolReady(applied.Name, applied.Cidr);
                    break;
                }
                catch (Exception e) when (IsTransient(e) && DateTime.UtcNow < giveUpAt && !cancellationToken.IsCancellationRequested)
                {
                    // A storage outage (or a commit whose outcome is unknown) is not a conflict:
                    // EnsureAsync is idempotent, so the same definition is applied again.
                    LogBootstrapRetry(pool.Name, attempt, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), cancellationToken);
                }
                catch (Exception e)
                {
                    LogBootstrapFailed(e, pool.Name, e.Message);
                    Environment.ExitCode = 3;
                    lifetime.StopApplication();
                    throw new InvalidOperationException($"bootstrap of pool '{pool.Name}' failed: {e.Message}", e);
                }
            }
        }

        readiness.MarkReady();
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        readiness.MarkNotReady("shutting down");
        return Task.CompletedTask;
    }

    private static bool IsTransient(Exception e) => StatusMapper.ToStatus(e).StatusCode == Grpc.Core.StatusCode.Unavailable;

    private static PoolDefinition ToDefinition(BootstrapPool pool) => new()
    {
        Name = pool.Name,
        Cidr = pool.Cidr,
        BlockPrefixLength = pool.BlockPrefixLength,
        Kind = Enum.TryParse<Core.Pools.PoolKind>(pool.Kind, ignoreCase: true, out var kind)
            ? (int)kind
            : throw new InvalidOperationException($"pool '{pool.Name}': Kind '{pool.Kind}' must be Pod or Service"),
        Wiring = Enum.TryParse<Core.Pools.PoolWiring>(pool.Wiring, ignoreCase: true, out var wiring)
            ? (int)wiring
            : throw new InvalidOperationException($"pool '{pool.Name}': Wiring '{pool.Wiring}' must be Bridged or Routed"),
        ReservedRanges = pool.ReservedRanges,
        StrictAffinity = pool.StrictAffinity,
        MaxBlocksPerNode = pool.MaxBlocksPerNode,
    };

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Pool {Pool} ready ({Cidr})")]
    private partial void LogPoolReady(string pool, string cidr);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Bootstrap of pool {Pool}: attempt {Attempt} met an outage, retrying: {Reason}")]
    private partial void LogBootstrapRetry(string pool, int attempt, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Critical, Message = "Bootstrap of pool {Pool} failed: {Reason}; the server will not serve")]
    private partial void LogBootstrapFailed(Exception exception, string pool, string reason);
}
