using System.Text.Json.Nodes;
using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Agent.Tests.Plugin;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistIpam.Agent.Tests.Reserve;

/// <summary>A dual-stack pool pair, an agent with a warm reserve in front of one server, and the questions the tests ask the server.</summary>
public sealed class ReserveScenario
{
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(30);
    private readonly GrpcChannel _channel;

    private ReserveScenario(GrpcChannel channel, string node, IReadOnlyList<string> pools)
    {
        _channel = channel;
        Node = node;
        Pools = pools;
    }

    /// <summary>The node.</summary>
    public string Node { get; }

    /// <summary>The v4 and v6 pools.</summary>
    public IReadOnlyList<string> Pools { get; }

    /// <summary>The Ipam API.</summary>
    public Ipam.IpamClient Ipam => new(_channel);

    /// <summary>The Pools API.</summary>
    public Pools.PoolsClient PoolsApi => new(_channel);

    /// <summary>Creates the pools (v4 /26 blocks, v6 /122) on the server behind <paramref name="channel"/>.</summary>
    public static async Task<ReserveScenario> CreateAsync(GrpcChannel channel, string tag, string v4, string v6)
    {
        var pools = new Pools.PoolsClient(channel);
        string[] names = [await PoolSetup.CreateAsync(pools, $"{tag}-v4", v4, 26), await PoolSetup.CreateAsync(pools, $"{tag}-v6", v6, 122)];
        return new ReserveScenario(channel, TestIds.New(tag), names);
    }

    /// <summary>Starts an agent with a reserve of <paramref name="size"/> per family, and <paramref name="settings"/>.</summary>
    public Task<AgentProcess> StartAgentAsync(string endpoint, int size, params (string Name, string Value)[] settings) =>
        AgentProcess.StartAsync(
            [endpoint],
            Node,
            [("ReserveSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Pools:0", Pools[0]), ("Pools:1", Pools[1]), ("ServerTimeout", "00:00:02"), .. settings]);

    /// <summary>The plugin configuration through <paramref name="agent"/> (no endpoints, no fallback).</summary>
    public JsonObject Config(AgentProcess agent) => AgentModeTests.Config(Node, Pools, agent.SocketPath, fallback: false, endpoints: []);

    /// <summary>Addresses allocated in both pools.</summary>
    public async Task<long> AllocatedAsync() => await PoolSetup.AllocatedAsync(PoolsApi, Pools[0]) + await PoolSetup.AllocatedAsync(PoolsApi, Pools[1]);

    /// <summary>Waits until both pools hold exactly <paramref name="count"/> addresses.</summary>
    public Task WaitForAllocatedAsync(long count, string why) =>
        Poll.UntilAsync(async () => await AllocatedAsync() is var n && n == count ? null : $"{n} allocated", SettleBound, $"{count} addresses allocated ({why})");

    /// <summary>Waits until the server holds exactly <paramref name="addresses"/> for the pod handle of <paramref name="containerId"/>.</summary>
    public Task WaitUntilServerHoldsAsync(string containerId, IReadOnlyList<string> addresses) =>
        Poll.UntilAsync(
            async () =>
            {
                var request = new CheckRequest { Handle = new Handle { Network = "agent-net", ContainerId = containerId, Interface = "eth0" } };
                request.ExpectedAddresses.AddRange(addresses);
                try
                {
                    await Ipam.CheckAsync(request);
                    return null;
                }
                catch (RpcException e)
                {
                    return e.Status.ToString();
                }
            },
            SettleBound,
            $"the server to hold {string.Join(", ", addresses)} for {containerId}");

    /// <summary>Asserts the server's consistency report for both pools is clean.</summary>
    public async Task AssertConsistentAsync()
    {
        foreach (var pool in Pools)
        {
            var report = await PoolsApi.CheckConsistencyAsync(new CheckConsistencyRequest { Pool = pool, MinAgeMs = 0 });
            Assert.True(
                report.Duplicates.Count == 0 && report.OrphanedAddresses.Count == 0 && report.HandlesWithoutAddresses.Count == 0,
                $"consistency report of {pool}: {report}");
        }
    }
}
