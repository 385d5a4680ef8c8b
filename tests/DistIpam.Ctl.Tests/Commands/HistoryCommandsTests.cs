using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary><c>ip show|history</c>, <c>handle show|history</c> and <c>release --ip</c> against a real server.</summary>
public sealed class HistoryCommandsTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>
{
    [Fact]
    public async Task IpShow_Allocated_PoolBlockNodeHandlePodSequence()
    {
        var (handle, node, held) = await AllocateAsync();
        var v4 = held.Addresses.Single(a => a.Family == IpFamily.V4);
        var address = v4.Address.Split('/')[0];

        var table = (await CtlRun.RunAsync(fixture.Endpoint, "ip", "show", address)).Expect(ExitCodes.Ok);
        var json = (await CtlRun.RunAsync(fixture.Endpoint, "ip", "show", address, "-o", "json")).Expect(ExitCodes.Ok).Json();

        table.AssertOut($@"Handle:\s+{TestIds.KeyOf(handle)}");
        table.AssertOut(@"Pod:\s+shop/web-1");
        table.AssertOut($@"Node:\s+{node}");
        Assert.Equal(v4.Block, json.GetProperty("block").GetString());
        Assert.True(json.GetProperty("recordedByHandle").GetBoolean());
        Assert.Equal(v4.Sequence.ToString(CultureInfo.InvariantCulture), json.GetProperty("sequence").ToString());
    }

    [Fact]
    public async Task IpHistory_AllocatedThenReleased_BothEventsWithWhoAndWhy()
    {
        var (handle, _, held) = await AllocateAsync();
        var address = held.Addresses[0].Address.Split('/')[0];
        using var client = new DistIpamClient(fixture.Endpoint);
        await client.Ipam.ReleaseAsync(new ReleaseRequest { Handle = handle });

        var json = await CtlRun.PollJsonAsync(
            fixture.Endpoint,
            h => h.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("handle").GetString() == TestIds.KeyOf(handle)) == 2,
            "the allocation and the release in the address's history",
            "ip", "history", address);
        await CtlRun.PollJsonAsync(fixture.Endpoint, h => h.GetProperty("events").GetArrayLength() == 4, "4 events in the handle's history", "handle", "history", TestIds.KeyOf(handle));
        var handleHistory = (await CtlRun.RunAsync(fixture.Endpoint, "handle", "history", TestIds.KeyOf(handle))).Expect(ExitCodes.Ok);

        var mine = json.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("handle").GetString() == TestIds.KeyOf(handle)).ToList();
        Assert.Equal(["allocated", "released"], mine.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal("Ipam.Release", mine[1].GetProperty("actor").GetString());
        Assert.Equal("DEL", mine[1].GetProperty("reason").GetString());
        Assert.Equal(4, handleHistory.Out.Split('\n').Count(l => l.Contains(TestIds.KeyOf(handle), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task IpHistoryAt_DuringAndBeforeTheAllocation_HolderOrNobody()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var (handle, _, held) = await AllocateAsync();
        var address = held.Addresses[0].Address.Split('/')[0];
        var during = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        await CtlRun.PollJsonAsync(fixture.Endpoint, h => h.GetProperty("events").GetArrayLength() > 0, "the allocation in the history", "ip", "history", address);

        var holder = (await CtlRun.RunAsync(fixture.Endpoint, "ip", "history", address, "--at", during)).Expect(ExitCodes.Ok);
        var nobody = (await CtlRun.RunAsync(fixture.Endpoint, "ip", "history", address, "--at", before.ToString("O", CultureInfo.InvariantCulture))).Expect(ExitCodes.NotFound);

        Assert.Contains(TestIds.KeyOf(handle), holder.Out, StringComparison.Ordinal);
        Assert.Contains("nobody held", nobody.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseIp_StaleSequenceThenCurrent_RefusedThenWholeHandleReleased()
    {
        var (handle, _, held) = await AllocateAsync();
        var v6 = held.Addresses.Single(a => a.Family == IpFamily.V6);
        var address = v6.Address.Split('/')[0];

        var stale = (await CtlRun.RunAsync(fixture.Endpoint, "release", "--ip", address, "--sequence", (v6.Sequence + 1000).ToString(CultureInfo.InvariantCulture))).Expect(ExitCodes.Failure);
        var done = (await CtlRun.RunAsync(fixture.Endpoint, "release", "--ip", address, "--sequence", v6.Sequence.ToString(CultureInfo.InvariantCulture), "--reason", "ticket 42", "-o", "json")).Expect(ExitCodes.Ok);
        var shown = (await CtlRun.RunAsync(fixture.Endpoint, "handle", "show", TestIds.KeyOf(handle))).Expect(ExitCodes.Ok);
        var history = await CtlRun.PollJsonAsync(
            fixture.Endpoint,
            h => h.GetProperty("events").EnumerateArray().Any(e => e.GetProperty("kind").GetString() == "released"),
            "the release in the handle's history",
            "handle", "history", TestIds.KeyOf(handle));

        Assert.Contains("FAILED_PRECONDITION", stale.Error, StringComparison.Ordinal);
        Assert.Equal(2, done.Json().GetProperty("released").GetArrayLength());
        Assert.Contains("holds nothing now", shown.Out, StringComparison.Ordinal);
        Assert.Contains(history.GetProperty("events").EnumerateArray(), e => e.GetProperty("reason").GetString() == "ticket 42" && e.GetProperty("actor").GetString() == "Addresses.ReleaseAddress");
    }

    [Theory]
    [InlineData(ExitCodes.NotFound, "ip", "show", "192.0.2.1")]
    [InlineData(ExitCodes.Usage, "ip", "show", "10.1")]
    [InlineData(ExitCodes.NotFound, "handle", "show", "podnet/never/eth0")]
    [InlineData(ExitCodes.Usage, "ip", "history", "10.244.0.1", "--at", "last tuesday")]
    [InlineData(ExitCodes.Usage, "release", "--sequence", "3", "--handle", "a/b/c")]
    public async Task Lookups_BadOrUnknown_ExitCode(int code, params string[] args)
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, args)).Expect(code);

        Assert.StartsWith("distipamctl: ", run.Error, StringComparison.Ordinal);
    }

    private async Task<(Handle Handle, string Node, AllocateResponse Held)> AllocateAsync()
    {
        var handle = TestIds.NewHandle();
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(fixture.Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = node, Pod = new PodAttributes { Namespace = "shop", Name = "web-1", Uid = "u-1" } });
        return (handle, node, held);
    }
}
