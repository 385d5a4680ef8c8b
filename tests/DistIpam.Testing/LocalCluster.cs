using System.Globalization;

namespace DistIpam.Testing;

/// <summary>
/// Redis plus N silos in cluster mode on loopback, each on its own free ports. Silos can be added
/// and removed while it runs (<see cref="AddSiloAsync"/>, <see cref="RemoveSiloAsync"/>).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _name;
    private readonly IReadOnlyList<string> _siloArguments;
    private readonly Lock _gate = new();
    private IReadOnlyList<ServerProcess> _silos;
    private int _started;

    private LocalCluster(RedisProcess redis, string name, string clusterId, IReadOnlyList<string> siloArguments, IReadOnlyList<ServerProcess> silos)
    {
        Redis = redis;
        _name = name;
        ClusterId = clusterId;
        _siloArguments = siloArguments;
        _silos = silos;
        _started = silos.Count;
    }

    /// <summary>The Redis server holding membership and grain state.</summary>
    public RedisProcess Redis { get; }

    /// <summary>The Orleans cluster id the silos share.</summary>
    public string ClusterId { get; }

    /// <summary>The Orleans service id (the server default); it prefixes the stored grain state keys.</summary>
    public string ServiceId { get; } = "distipam";

    /// <summary>The silos, in start order (a snapshot: adding or removing a silo swaps the list).</summary>
    public IReadOnlyList<ServerProcess> Silos
    {
        get
        {
            lock (_gate)
            {
                return _silos;
            }
        }
    }

    /// <summary>
    /// Starts Redis and <paramref name="count"/> silos and waits until every silo is ready.
    /// <paramref name="extraArguments"/> go to every silo (e.g. grain tuning or pools).
    /// </summary>
    public static async Task<LocalCluster> StartAsync(int count, string name, IReadOnlyList<string>? extraArguments = null)
    {
        var redis = await RedisProcess.StartAsync();
        var clusterId = $"{name}-{Guid.NewGuid():N}";
        IReadOnlyList<string> arguments =
        [
            $"--DistIpam:Redis={redis.ConnectionString}",
            $"--DistIpam:ClusterId={clusterId}",
            "--Logging:LogLevel:Orleans=Warning",
            .. extraArguments ?? [],
        ];
        var silos = new List<ServerProcess>();
        try
        {
            // One at a time: the first silo creates the membership table and bootstraps the pools.
            for (var i = 0; i < count; i++)
            {
                silos.Add(await StartSiloAsync(name, i, arguments));
            }
        }
        catch
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }

        return new LocalCluster(redis, name, clusterId, arguments, silos);
    }

    /// <summary>Starts one more silo with the same settings, waits until it is ready, and appends it to <see cref="Silos"/>.</summary>
    public async Task<ServerProcess> AddSiloAsync()
    {
        var index = Interlocked.Increment(ref _started) - 1;
        var silo = await StartSiloAsync(_name, index, _siloArguments);
        lock (_gate)
        {
            _silos = [.. _silos, silo];
        }

        return silo;
    }

    /// <summary>Takes <paramref name="silo"/> out of <see cref="Silos"/>, stops it gracefully (SIGTERM) and disposes it.</summary>
    public async Task RemoveSiloAsync(ServerProcess silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        lock (_gate)
        {
            _silos = [.. _silos.Where(s => !ReferenceEquals(s, silo))];
        }

        try
        {
            if (!silo.HasExited)
            {
                await silo.StopAsync();
            }
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            await silo.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }

    private static Task<ServerProcess> StartSiloAsync(string name, int index, IReadOnlyList<string> arguments) =>
        ServerProcess.StartAsync(new ServerProcessOptions
        {
            Name = $"{name}-silo{index.ToString(CultureInfo.InvariantCulture)}",
            Arguments = arguments,
        });
}
