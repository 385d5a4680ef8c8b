using System.Diagnostics;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// A silo that was frozen (SIGSTOP) and resumes must not run the requests that waited in its sockets
/// meanwhile: the client gave up on them and may have moved on (docs/architecture.md, "Fencing").
/// </summary>
public sealed class SiloFenceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ShortPause = TimeSpan.FromMilliseconds(1500);

    [Fact]
    public async Task Release_QueuedAtPausedSilo_RefusedAfterResumeAndHandleStillHeld()
    {
        await using var cluster = await LocalCluster.StartAsync(2, "fence");
        var paused = new Ipam.IpamClient(cluster.Silos[0].CreateChannel());
        // Set-up and checks retry UNAVAILABLE: on a loaded machine a silo may fence itself briefly.
        using var healthy = new RetryingIpamClient(cluster.Silos);
        var handle = new Handle { Network = "fencenet", ContainerId = "late-release", Interface = "eth0" };
        var held = await healthy.AllocateAsync(new AllocateRequest { Handle = handle, Node = "node-a" }, 1, TimeSpan.FromSeconds(30));

        // The channel is connected before the pause, so the request's bytes reach the frozen process.
        await ServingAsync(() => paused.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync, "silo 0 serving before the pause");
        cluster.Silos[0].Pause();
        var late = paused.ReleaseAsync(new ReleaseRequest { Handle = handle, Node = "node-a" }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
        await Task.Delay(ShortPause); // the length of the fault, not a wait for a condition
        var resumed = Stopwatch.StartNew();
        cluster.Silos[0].Resume();

        var refused = await Assert.ThrowsAsync<RpcException>(() => late);
        output.WriteLine($"late release after resume: {refused.StatusCode} after {resumed.ElapsedMilliseconds} ms: {refused.Status.Detail}");
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);

        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(held.Addresses.Select(a => a.Address));
        await healthy.CheckAsync(check, 1, TimeSpan.FromSeconds(30));

        // The quarantine ends: the silo serves again.
        await ServingAsync(() => paused.CheckAsync(check, deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync, "the resumed silo serving again after its quarantine");
    }

    private static Task ServingAsync<T>(Func<Task<T>> call, string what) => Poll.UntilAsync(
        async () =>
        {
            try
            {
                await call();
                return null;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                return e.Status.Detail;
            }
        },
        TimeSpan.FromSeconds(30),
        what);
}
