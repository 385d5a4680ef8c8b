using System.Globalization;
using DistIpam.Agent.Tests.Fixtures;
using DistIpam.Agent.Tests.Reserve;
using DistIpam.Cni.Tests.Fixtures;
using DistIpam.Testing;

namespace DistIpam.Agent.Tests.Metrics;

/// <summary>The agent's Prometheus endpoint (Agent:MetricsPort): what a scrape shows before and after an ADD.</summary>
[Collection(AgentGroup.Name)]
public class AgentMetricsTests(ServerFixture fixture)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Scrape_AddFromReserveThenPassThrough_CountersAndGaugesFollow()
    {
        var scenario = await ReserveScenario.CreateAsync(fixture.Server.CreateChannel(), "metrics", "10.240.0.0/24", "fd00:240::/120");
        var port = FreePort.Next();
        await using var agent = await scenario.StartAgentAsync(fixture.UnixEndpoint, 2, ("MetricsPort", port.ToString(CultureInfo.InvariantCulture)));
        await scenario.WaitForAllocatedAsync(4, "the reserve filled");
        var before = await PollAsync(port, s => s.Sum("distipam_agent_reserve_free_slots", "family=\"ipv4\"") == 2 && s.Sum("distipam_agent_reserve_free_slots", "family=\"ipv6\"") == 2, "2 free slots per family");
        Assert.Equal(1, before.Sum("distipam_agent_server_reachable"));
        Assert.Equal(0, before.Sum("distipam_agent_assignments_total"));
        Assert.True(before.Sum("distipam_agent_journal_fsync_duration_seconds_count") > 0, $"the fills were journaled:\n{before.Text}");

        var config = scenario.Config(agent);
        await fixture.Plugin.AddAsync(config, "m1");
        var after = await PollAsync(port, s => s.Sum("distipam_agent_assignments_total") == 1, "one assignment");
        Assert.True(
            after.Sum("distipam_agent_journal_fsync_duration_seconds_count") > before.Sum("distipam_agent_journal_fsync_duration_seconds_count"),
            "the assignment was fsynced before the answer");

        // Confirmed and refilled: nothing pending, two free slots again.
        await PollAsync(port, s => s.Sum("distipam_agent_confirmations_pending") == 0 && s.Sum("distipam_agent_reserve_free_slots") == 4, "confirmed and refilled");
        var passedBefore = after.Sum("distipam_agent_pass_through_total", "operation=\"Release\"");
        (await fixture.Plugin.RunAsync("DEL", config, "unknown-pod")).AssertSuccess();
        await PollAsync(port, s => s.Sum("distipam_agent_pass_through_total", "operation=\"Release\"") == passedBefore + 1, "the DEL of a handle the agent never saw passed through");
    }

    /// <summary>Scrapes until <paramref name="condition"/> holds.</summary>
    internal static async Task<MetricsScrape> PollAsync(int port, Func<MetricsScrape, bool> condition, string what)
    {
        MetricsScrape? last = null;
        await Poll.UntilAsync(
            async () =>
            {
                last = await MetricsScrape.OfAsync(port);
                return condition(last) ? null : last.Text;
            },
            Bound,
            what);
        return last!;
    }
}
