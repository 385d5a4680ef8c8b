using DistIpam.Grains.Pools;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Hosting;

/// <summary>
/// Applies the configured pools once the silo runs. Idempotent: existing pools with the same
/// CIDR, block size, kind and wiring are kept. A conflict with stored state stops the process
/// with a non-zero exit code instead of serving from a configuration that does not match.
/// </summary>
public sealed partial class PoolBootstrapService(
    IGrainFactory grains,
    IOptions<DistIpamOptions> options,
    ReadinessState readiness,
    IHostApplicationLifetime lifetime,
    ILogger<PoolBootstrapService> logger) : IHostedService
{
    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var catalog = grains.GetGrain<IPoolCatalogGrain>(IPoolCatalogGrain.Key);
        foreach (var pool in options.Value.Pools)
        {
            try
            {
                var applied = await catalog.EnsureAsync(ToDefinition(pool));
                LogPoolReady(applied.Name, applied.Cidr);
            }
            catch (Exception e)
            {
                LogBootstrapFailed(e, pool.Name, e.Message);
                Environment.ExitCode = 3;
                lifetime.StopApplication();
                throw new InvalidOperationException($"bootstrap of pool '{pool.Name}' failed: {e.Message}", e);
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

    [LoggerMessage(EventId = 5002, Level = LogLevel.Critical, Message = "Bootstrap of pool {Pool} failed: {Reason}; the server will not serve")]
    private partial void LogBootstrapFailed(Exception exception, string pool, string reason);
}
