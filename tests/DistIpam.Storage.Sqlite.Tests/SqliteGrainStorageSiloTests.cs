using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using Orleans.Providers;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite.Tests;

public sealed class SqliteGrainStorageSiloTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task PersistentState_SiloRestartedOnSameFile_ReadsValueBack()
    {
        using (IHost silo = await StartSiloAsync())
        {
            ICounterGrain grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("c1");
            Assert.Equal(5, await grain.AddAsync(5));
            Assert.Equal(12, await grain.AddAsync(7));

            var storage = (SqliteGrainStorage)silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);
            Assert.Equal(2, storage.WritesCommitted);
            await silo.StopAsync().WaitAsync(Deadline);
        }

        using (IHost restarted = await StartSiloAsync())
        {
            ICounterGrain grain = restarted.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>("c1");
            Assert.Equal(12, await grain.GetAsync());

            // The ETag read back continues the stored version, so the next write is accepted.
            Assert.Equal(13, await grain.AddAsync(1));
            await restarted.StopAsync().WaitAsync(Deadline);
        }
    }

    private async Task<IHost> StartSiloAsync()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort())
            .AddSqliteGrainStorageAsDefault(options => options.DataSource = _database.FilePath));
        IHost host = builder.Build();
        await host.StartAsync().WaitAsync(Deadline);
        return host;
    }

    // Tests pick their own ports so they never collide with each other or a server already running.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
