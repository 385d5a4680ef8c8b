using DistIpam.Api.V1;
using DistIpam.Client;
using DistIpam.Ctl.Hosting;
using Grpc.Core;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary><c>blocks</c>, <c>usage</c>, <c>release --handle</c> and <c>completion</c> against a real server.</summary>
public sealed class InventoryCommandsTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>
{
    [Fact]
    public async Task BlocksList_NodeWithAllocation_ItsBlocksInTableAndJson()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(fixture.Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = node });

        var table = (await CtlRun.RunAsync(fixture.Endpoint, "blocks", "list", "--node", node)).Expect(ExitCodes.Ok);
        var json = (await CtlRun.RunAsync(fixture.Endpoint, "blocks", "list", "--node", node, "-o", "json")).Expect(ExitCodes.Ok);

        var blocks = json.Json().GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(held.Addresses.Select(a => a.Block).Order(), blocks.Select(b => b.GetProperty("cidr").GetString()).Order());
        Assert.All(blocks, b => Assert.Equal(node, b.GetProperty("node").GetString()));
        Assert.All(blocks, b => Assert.Equal("confirmed", b.GetProperty("claim").GetString()));
        table.AssertOut($@"pods-v4\s+{held.Addresses[0].Block.Replace(".", "\\.", StringComparison.Ordinal)}\s+{node}\s+confirmed\s+1\s+");
    }

    [Fact]
    public async Task BlocksList_UnknownPool_ExitThree()
    {
        (await CtlRun.RunAsync(fixture.Endpoint, "blocks", "list", "--pool", "no-such-pool")).Expect(ExitCodes.NotFound);
    }

    [Fact]
    public async Task Usage_AfterAllocation_NodeRowAndPoolTotals()
    {
        var node = TestIds.Unique("node");
        using var client = new DistIpamClient(fixture.Endpoint);
        await client.Ipam.AllocateAsync(new AllocateRequest { Handle = TestIds.NewHandle(), Node = node });

        var json = (await CtlRun.RunAsync(fixture.Endpoint, "usage", "--node", node, "-o", "json")).Expect(ExitCodes.Ok);
        var table = (await CtlRun.RunAsync(fixture.Endpoint, "usage", "--pool", "pods-v4")).Expect(ExitCodes.Ok);

        var rows = json.Json().GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("1", r.GetProperty("allocated").ToString()));
        table.AssertOut(@"pods-v4\s+65536\s+\d+\s+(<0\.01|[0-9.]+)%");
    }

    [Fact]
    public async Task ReleaseHandle_Held_ReleasesBothAddresses()
    {
        var handle = TestIds.NewHandle();
        using var client = new DistIpamClient(fixture.Endpoint);
        var held = await client.Ipam.AllocateAsync(new AllocateRequest { Handle = handle, Node = TestIds.Unique("node") });

        var run = (await CtlRun.RunAsync(fixture.Endpoint, "release", "--handle", TestIds.KeyOf(handle), "-o", "json")).Expect(ExitCodes.Ok);

        Assert.Equal(held.Addresses.Select(a => a.Address.Split('/')[0]).Order(), run.Json().GetProperty("released").EnumerateArray().Select(e => e.GetString()).Order());
        var failure = await Assert.ThrowsAsync<RpcException>(async () => await client.Ipam.CheckAsync(new CheckRequest { Handle = handle }));
        Assert.Equal(StatusCode.NotFound, failure.StatusCode);
    }

    [Theory]
    [InlineData("release")]
    [InlineData("release", "--handle", "only-two/parts")]
    [InlineData("release", "--handle", "a/b/c", "--from-report", "r.json")]
    public async Task Release_BadArguments_ExitTwo(params string[] args)
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, args)).Expect(ExitCodes.Usage);

        Assert.StartsWith("distipamctl: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_Bash_ScriptUsingSuggestDirective()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "completion", "bash")).Expect(ExitCodes.Ok);

        Assert.Contains("complete -o default -F _distipamctl_complete distipamctl", run.Out, StringComparison.Ordinal);
        Assert.Contains("[suggest:", run.Out, StringComparison.Ordinal);
    }
}
