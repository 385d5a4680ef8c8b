using DistIpam.Api.V1;
using DistIpam.Testing;

namespace DistIpam.Bench;

/// <summary>Starts the embedded server (SQLite, one silo) as a child process on free ports with a temporary data directory.</summary>
public static class EmbeddedServer
{
    /// <summary>Starts it and waits for /readyz. Logging is at Warning so the log pipe does not weigh on the numbers.</summary>
    public static async Task<ServerProcess> StartAsync(BenchContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Progress($"starting the embedded server ({name})");
        var server = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            Name = "bench-" + name,
            LogDirectory = context.ServerLogDirectory,
            Arguments = ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information"],
            StartTimeout = TimeSpan.FromMinutes(3),
        });
        context.Progress($"server pid {server.ProcessId} ready in {server.LastStartDuration.TotalSeconds:0.0} s (gRPC {server.GrpcAddress}, data {server.DataDir})");
        return server;
    }

    /// <summary>Creates a pod pool through the Pools API (strict affinity: nodes claim blocks, never borrow).</summary>
    public static async Task CreatePoolAsync(Pools.PoolsClient pools, string name, string cidr, int blockPrefixLength)
    {
        ArgumentNullException.ThrowIfNull(pools);
        await pools.CreatePoolAsync(new CreatePoolRequest
        {
            Pool = new Pool
            {
                Name = name,
                Cidr = cidr,
                BlockPrefixLength = blockPrefixLength,
                Kind = PoolKind.Pod,
                Wiring = PoolWiring.Routed,
                StrictAffinity = true,
            },
        });
    }
}
