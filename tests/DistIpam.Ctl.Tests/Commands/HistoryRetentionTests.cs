using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// The IP history's bounds (docs/operations.md, History:*): per address and per handle the oldest
/// events go first past the count, and events older than the retention are dropped.
/// </summary>
public sealed class HistoryRetentionTests : IAsyncLifetime
{
    private ServerProcess? _server;

    private string Endpoint => $"127.0.0.1:{(_server ?? throw new InvalidOperationException("not started")).GrpcPort}";

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(new ServerProcessOptions
    {
        Name = "ctl-history-bounds",
        Arguments =
        [
            "--DistIpam:History:MaxEventsPerAddress=4",
            "--DistIpam:History:MaxEventsPerHandle=3",
            "--DistIpam:Grains:ReleaseCooldown=00:00:00",
        ],
    });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task History_MoreEventsThanTheBounds_KeepsOnlyTheNewest()
    {
        using var client = new DistIpamClient(Endpoint);
        var node = TestIds.Unique("node");
        var address = "10.244.200.7";
        var pods = Enumerable.Range(0, 3).Select(_ => TestIds.NewHandle()).ToList();
        foreach (var pod in pods)
        {
            var request = new AllocateRequest { Handle = pod, Node = node };
            request.RequestedIps.Add(address);
            await client.Ipam.AllocateAsync(request);
            await client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = pod, Node = node });
        }

        // One dual-stack pod added and deleted three times: twelve events for its handle (one per address).
        var churn = TestIds.NewHandle();
        AllocateResponse last = new();
        for (var i = 0; i < 3; i++)
        {
            last = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = churn, Node = node });
            await client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = churn, Node = node });
        }

        var byAddress = await CtlRun.PollJsonAsync(
            Endpoint,
            h => h.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("handle").GetString() == TestIds.KeyOf(pods[2]) && e.GetProperty("kind").GetString() == "released"),
            "the last pod's release in the address's history",
            "ip", "history", address);
        var byHandle = await CtlRun.PollJsonAsync(
            Endpoint,
            h => h.GetProperty("events").EnumerateArray().Count() == 3 && h.GetProperty("events").EnumerateArray().Last().GetProperty("kind").GetString() == "released",
            "the churned handle's history to end with its last release",
            "handle", "history", TestIds.KeyOf(churn));

        var kept = byAddress.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("handle").GetString(), e.GetProperty("kind").GetString())).ToList();
        Assert.Equal(
            [(TestIds.KeyOf(pods[1]), "allocated"), (TestIds.KeyOf(pods[1]), "released"), (TestIds.KeyOf(pods[2]), "allocated"), (TestIds.KeyOf(pods[2]), "released")],
            kept);
        // The newest three: the last allocation's second address, then the last release of both.
        var newest = byHandle.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["allocated", "released", "released"], newest.Select(e => e.GetProperty("kind").GetString()));
        var allocated = last.Addresses.Select(a => (a.Address.Split('/')[0], a.Sequence)).ToList();
        Assert.All(newest, e => Assert.Contains((e.GetProperty("address").GetString()!.Split('/')[0], ulong.Parse(e.GetProperty("sequence").ToString(), System.Globalization.CultureInfo.InvariantCulture)), allocated));
    }

    [Fact]
    public async Task History_EventsOlderThanTheRetention_DroppedOnTheNextRead()
    {
        await using var shortLived = await ServerProcess.StartAsync(new ServerProcessOptions
        {
            Name = "ctl-history-retention",
            Arguments = ["--DistIpam:History:Retention=00:00:03"],
        });
        var endpoint = $"127.0.0.1:{shortLived.GrpcPort}";
        using var client = new DistIpamClient(endpoint);
        var pod = TestIds.NewHandle();
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = pod, Node = TestIds.Unique("node") });
        var address = held.Addresses[0].Address.Split('/')[0];
        await CtlRun.PollJsonAsync(endpoint, h => EventCount(h) == 1, "the allocation in the address's history", "ip", "history", address);

        // Still held, so `ip show` knows the holder; the history's event is past the retention.
        var emptied = await CtlRun.PollJsonAsync(
            endpoint,
            h => EventCount(h) == 0,
            "the allocation event to be dropped once older than the 3 s retention",
            "ip", "history", address);
        (await CtlRun.RunAsync(endpoint, "ip", "show", address)).Expect(ExitCodes.Ok).AssertOut(TestIds.KeyOf(pod));
        Assert.Equal(0, EventCount(emptied));
    }

    private static int EventCount(System.Text.Json.JsonElement history) =>
        history.ValueKind == System.Text.Json.JsonValueKind.Object && history.TryGetProperty("events", out var events) ? events.GetArrayLength() : 0;
}
