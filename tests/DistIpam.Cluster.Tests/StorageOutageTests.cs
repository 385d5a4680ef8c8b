using System.Diagnostics;
using DistIpam.Api.V1;
using DistIpam.Testing;
using Grpc.Core;
using Xunit.Abstractions;

namespace DistIpam.Cluster.Tests;

/// <summary>
/// A cluster-mode silo whose Redis is frozen or gone answers UNAVAILABLE (CNI code 11, which the
/// plugin retries), never INTERNAL, and within the client's deadline (docs/operations.md "Errors").
/// </summary>
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    // The chaos client's per-attempt deadline: an outage must be reported inside one attempt.
    private static readonly TimeSpan AttemptDeadline = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Allocate_RedisPaused_AnswersUnavailableWithinDeadline()
    {
        await using var cluster = await LocalCluster.StartAsync(1, "redis-paused");
        var client = new Ipam.IpamClient(cluster.Silos[0].CreateChannel());
        await AllocateAsync(client, "warm");

        cluster.Redis.Pause();
        try
        {
            await AssertUnavailableAsync(client, "Redis frozen by SIGSTOP");
        }
        finally
        {
            cluster.Redis.Resume();
        }

        await AssertRecoversAsync(client);
    }

    [Fact]
    public async Task Allocate_RedisStopped_AnswersUnavailableWithinDeadline()
    {
        await using var cluster = await LocalCluster.StartAsync(1, "redis-stopped");
        var client = new Ipam.IpamClient(cluster.Silos[0].CreateChannel());
        await AllocateAsync(client, "warm");

        await ChildProcessSignals.StopAsync(cluster.Redis.ProcessId, TimeSpan.FromSeconds(20));

        await AssertUnavailableAsync(client, "Redis stopped");
    }

    private async Task AssertUnavailableAsync(Ipam.IpamClient client, string outage)
    {
        var clock = Stopwatch.StartNew();
        var failure = await RpcAssert.FailsAsync(StatusCode.Unavailable, () => AllocateAsync(client, "outage"));
        output.WriteLine($"{outage}: {failure.StatusCode} after {clock.Elapsed.TotalSeconds:0.0} s: {failure.Status.Detail}");
    }

    private static async Task AssertRecoversAsync(Ipam.IpamClient client)
    {
        // After the outage every request succeeds again (retrying UNAVAILABLE as a client would).
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await AllocateAsync(client, "after");
                    return null;
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
                {
                    return $"{e.StatusCode}: {e.Status.Detail}";
                }
            },
            RecoveryDeadline,
            "Allocate to succeed again after Redis resumed");
    }

    private static Task<AllocateResponse> AllocateAsync(Ipam.IpamClient client, string prefix)
    {
        var handle = new Handle { Network = "outagenet", ContainerId = $"{prefix}-{Guid.NewGuid():N}", Interface = "eth0" };
        return client.AllocateAsync(new AllocateRequest { Handle = handle, Node = "node-outage" }, deadline: DateTime.UtcNow + AttemptDeadline).ResponseAsync;
    }
}
