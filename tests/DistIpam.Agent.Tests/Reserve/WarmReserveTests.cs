using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;

namespace DistIpam.Agent.Tests.Reserve;

/// <summary>ADD from the warm reserve, confirmation at the server, refill, and the server away.</summary>
[Collection(AgentGroup.Name)]
public class WarmReserveTests(ServerFixture fixture)
{
    [Fact]
    public async Task Add_FromReserve_ServerHoldsThePodHandleAndReserveRefilled()
    {
        var scenario = await ReserveScenario.CreateAsync(fixture.Server.CreateChannel(), "res-ok", "10.248.0.0/24", "fd00:248::/120");
        await using var agent = await scenario.StartAgentAsync(fixture.UnixEndpoint, 2);
        // Two slots, one address per family each: in use at the server like any pod's.
        await scenario.WaitForAllocatedAsync(4, "the reserve filled");
        var config = scenario.Config(agent);

        var result = await fixture.Plugin.AddAsync(config, "p1");
        var addresses = PluginRunner.Addresses(result);
        Assert.Equal(2, addresses.Count);
        var again = PluginRunner.Addresses(await fixture.Plugin.AddAsync(config, "p1"));
        Assert.Equal(addresses, again);

        await scenario.WaitUntilServerHoldsAsync("p1", addresses);
        await scenario.WaitForAllocatedAsync(6, "the pod plus a refilled reserve of two");
        (await fixture.Plugin.RunAsync("CHECK", PluginRunner.WithPrevResult(config, result), "p1")).AssertSuccess();
        (await fixture.Plugin.RunAsync("DEL", config, "p1")).AssertSuccess();
        await scenario.WaitForAllocatedAsync(4, "the pod released, the reserve kept");
        await scenario.AssertConsistentAsync();
    }

    [Fact]
    public async Task Add_ServerStopped_ReserveServesThenCode11AndAllReconcilesWhenBack()
    {
        await using var server = await ServerProcess.StartAsync(new ServerProcessOptions { Name = "agent-outage" });
        var endpoint = CniConfig.Unix(server.UnixSocketPath);
        var scenario = await ReserveScenario.CreateAsync(server.CreateChannel(), "res-away", "10.249.0.0/24", "fd00:249::/120");
        await using var agent = await scenario.StartAgentAsync(endpoint, 2);
        await scenario.WaitForAllocatedAsync(4, "the reserve filled");
        var config = scenario.Config(agent);
        await server.StopAsync();

        var first = PluginRunner.Addresses(await fixture.Plugin.AddAsync(config, "a1"));
        var second = PluginRunner.Addresses(await fixture.Plugin.AddAsync(config, "a2"));
        var third = await fixture.Plugin.RunAsync("ADD", config, "a3");
        third.AssertError(11, "warm reserve");
        Assert.Empty(first.Intersect(second));
        (await fixture.Plugin.RunAsync("DEL", config, "a2")).AssertSuccess();
        (await fixture.Plugin.RunAsync("STATUS", config)).AssertError(50);

        await server.RestartAsync();
        await scenario.WaitUntilServerHoldsAsync("a1", first);
        // a1, plus a reserve of two again; a2 released through the server.
        await scenario.WaitForAllocatedAsync(6, "a1 and a refilled reserve");
        await scenario.AssertConsistentAsync();
        var fourth = PluginRunner.Addresses(await fixture.Plugin.AddAsync(config, "a4"));
        Assert.Empty(fourth.Intersect(first));
    }

    [Fact]
    public async Task Add_AgentKilledDuringConcurrentAdds_NothingAcknowledgedLostNoAddressTwice()
    {
        var scenario = await ReserveScenario.CreateAsync(fixture.Server.CreateChannel(), "res-kill", "10.250.0.0/24", "fd00:250::/120");
        await using var agent = await scenario.StartAgentAsync(fixture.UnixEndpoint, 8);
        await scenario.WaitForAllocatedAsync(16, "the reserve filled");
        var config = scenario.Config(agent);

        var adds = Enumerable.Range(0, 12).Select(i => fixture.Plugin.RunAsync("ADD", config, $"k{i}")).ToList();
        // Kill once the first answers arrive: some ADDs are acknowledged, others are cut off.
        await Task.WhenAny(adds);
        agent.Kill();
        var outcomes = await Task.WhenAll(adds);
        var acknowledged = outcomes.Select((o, i) => (Id: $"k{i}", Outcome: o)).Where(x => x.Outcome.ExitCode == 0).ToList();
        Assert.NotEmpty(acknowledged);
        Assert.All(outcomes.Where(o => o.ExitCode != 0), o => Assert.Equal(11, o.ErrorCode));

        await agent.StartAsync();
        var held = new Dictionary<string, List<string>>();
        foreach (var (id, outcome) in acknowledged)
        {
            var addresses = PluginRunner.Addresses(outcome.Json());
            held[id] = addresses;
            await scenario.WaitUntilServerHoldsAsync(id, addresses);
        }

        // The cut-off ADDs are retried, as a runtime would; every address is given once.
        foreach (var (id, _) in outcomes.Select((o, i) => ($"k{i}", o)).Where(x => x.o.ExitCode != 0))
        {
            held[id] = PluginRunner.Addresses(await fixture.Plugin.AddAsync(config, id));
        }

        var all = held.Values.SelectMany(a => a).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        foreach (var (id, addresses) in held)
        {
            await scenario.WaitUntilServerHoldsAsync(id, addresses);
        }

        await scenario.AssertConsistentAsync();
    }
}
