using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary><c>pools</c> against a real server: tables, JSON, YAML and exit codes.</summary>
public sealed class PoolsCommandsTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>
{
    [Fact]
    public async Task List_Table_HeaderAndDefaultPools()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "pools", "list")).Expect(ExitCodes.Ok);

        Assert.Contains("NAME", run.Out, StringComparison.Ordinal);
        run.AssertOut(@"pods-v4\s+10\.244\.0\.0/16\s+IPv4\s+/26\s+pod\s+bridged");
        run.AssertOut(@"services-v6\s+fd00:10:96::/112\s+IPv6");
    }

    [Fact]
    public async Task List_Json_ProtoFieldNamesAndDefaults()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "pools", "list", "-o", "json")).Expect(ExitCodes.Ok);

        var pods = run.Json().GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "pods-v4");
        Assert.Equal("10.244.0.0/16", pods.GetProperty("cidr").GetString());
        Assert.Equal(26, pods.GetProperty("blockPrefixLength").GetInt32());
        Assert.False(pods.GetProperty("strictAffinity").GetBoolean());
    }

    [Fact]
    public async Task List_Yaml_SameDocumentAsJson()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "pools", "list", "-o", "yaml")).Expect(ExitCodes.Ok);

        Assert.StartsWith("pools:\n- name: \"", run.Out, StringComparison.Ordinal);
        Assert.Contains("  cidr: \"10.244.0.0/16\"\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("  blockPrefixLength: 26\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUpdateShowDelete_RoundTrip_EachStepVisible()
    {
        var name = TestIds.Unique("pool");
        (await CtlRun.RunAsync(fixture.Endpoint, "pools", "create", name, "--cidr", "10.250.0.0/24", "--block-prefix", "28", "--reserved", "10.250.0.10-10.250.0.20")).Expect(ExitCodes.Ok);

        var updated = (await CtlRun.RunAsync(fixture.Endpoint, "pools", "update", name, "--strict-affinity", "true", "--max-blocks-per-node", "3", "-o", "json")).Expect(ExitCodes.Ok);
        var shown = (await CtlRun.RunAsync(fixture.Endpoint, "pools", "show", name)).Expect(ExitCodes.Ok);
        (await CtlRun.RunAsync(fixture.Endpoint, "pools", "delete", name)).Expect(ExitCodes.Ok);
        var gone = await CtlRun.RunAsync(fixture.Endpoint, "pools", "show", name);

        Assert.True(updated.Json().GetProperty("strictAffinity").GetBoolean());
        Assert.Equal("10.250.0.10-10.250.0.20", updated.Json().GetProperty("reservedRanges")[0].GetString());
        shown.AssertOut(@"Max blocks/node:\s+3");
        gone.Expect(ExitCodes.NotFound);
        Assert.Contains(name, gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_Unknown_ExitThreeNamingIt()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "pools", "show", "no-such-pool")).Expect(ExitCodes.NotFound);

        Assert.Contains("NOT_FOUND", run.Error, StringComparison.Ordinal);
        Assert.Contains("no-such-pool", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Create_BadCidr_ExitTwoWithServersMessage()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "pools", "create", TestIds.Unique("pool"), "--cidr", "10.0.0.300/24")).Expect(ExitCodes.Usage);

        Assert.Contains("INVALID_ARGUMENT", run.Error, StringComparison.Ordinal);
        Assert.Contains("10.0.0.300/24", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pools", "create", "x")]
    [InlineData("pools", "frobnicate")]
    [InlineData("pools")]
    [InlineData("pools", "list", "--max-blocks-per-node", "x")]
    [InlineData("pools", "list", "-o", "xml")]
    public async Task BadArguments_ExitTwoWithMessage(params string[] args)
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, args)).Expect(ExitCodes.Usage);

        Assert.StartsWith("distipamctl: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ServerUnreachable_ExitOneUnavailable()
    {
        var run = (await CtlRun.RunAsync($"127.0.0.1:{FreePort.Next(1)[0]}", "pools", "list", "--timeout", "1")).Expect(ExitCodes.Failure);

        Assert.Contains("UNAVAILABLE", run.Error, StringComparison.Ordinal);
    }
}
