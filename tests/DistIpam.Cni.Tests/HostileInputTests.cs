using System.Text;
using System.Text.Json;

namespace DistIpam.Cni.Tests;

/// <summary>Undecodable, oversized and odd input ends in the CNI code the spec names, with a short echo.</summary>
public class HostileInputTests
{
    private static readonly string DeadSocket = Path.Combine(Path.GetTempPath(), $"distipam-none-{Guid.NewGuid():N}.sock");

    [Theory]
    [InlineData("\"pod~net\"", "")]
    [InlineData("\"podnet\"", "\"k~ey\":1,")]
    public async Task RunAsync_InvalidUtf8InStdin_Code6(string nameJson, string extraTop)
    {
        // Before the UTF-8 check, an invalid byte inside a string surfaced as "internal error" (code 999).
        var bytes = Encoding.UTF8.GetBytes(Config(nameJson, extraTop));
        bytes[Array.IndexOf(bytes, (byte)'~')] = 0xFF;

        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), bytes);

        AssertError(run, 6, "UTF-8");
    }

    [Fact]
    public async Task RunAsync_StdinOverOneMebibyte_Code6()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), Config("\"podnet\"", "\"pad\":\"" + new string('x', 1 << 20) + "\","));

        AssertError(run, 6, "longer than");
    }

    [Fact]
    public async Task RunAsync_HugeValueOfWrongField_MessageEchoesShortPrefix()
    {
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), Config("\"" + new string('n', 100_000) + "\""));

        AssertError(run, 7, "name");
        Assert.True(run.Stdout.Length < 1024, $"the error echoed {run.Stdout.Length} bytes");
        Assert.True(run.Stderr.Length < 1024, $"the log echoed {run.Stderr.Length} bytes");
    }

    [Fact]
    public async Task RunAsync_HugeUnknownPropertyNameOfWrongType_MessageEchoesShortPrefix()
    {
        var config = Config("\"podnet\"").Replace("\"ipam\":{", "\"ipam\":{\"routes\":[{\"" + new string('k', 50_000) + "\":1,\"dst\":7}],", StringComparison.Ordinal);

        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), config);

        AssertError(run, 7, "routes[0].dst");
        Assert.True(run.Stdout.Length < 1024, $"the error echoed {run.Stdout.Length} bytes");
    }

    [Fact]
    public async Task RunAsync_HugeUnsupportedCniVersion_Code1EchoesShortPrefix()
    {
        // Found by the fuzz suite: the whole 70,000-character version was repeated in the error.
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), Config("\"podnet\"").Replace("\"1.0.0\"", "\"" + new string('9', 70_000) + "\"", StringComparison.Ordinal));

        AssertError(run, 1, "is not supported");
        Assert.True(run.Stdout.Length < 1024, $"the error echoed {run.Stdout.Length} bytes");
        Assert.True(run.Stderr.Length < 1024, $"the log echoed {run.Stderr.Length} bytes");
    }

    [Fact]
    public async Task RunAsync_TooManyRoutes_Code7NamingLimit()
    {
        var routes = string.Join(",", Enumerable.Repeat("{\"dst\":\"0.0.0.0/0\"}", 65));
        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD"), Config("\"podnet\"").Replace("\"ipam\":{", "\"ipam\":{\"routes\":[" + routes + "],", StringComparison.Ordinal));

        AssertError(run, 7, "at most 64");
    }

    [Fact]
    public async Task RunAsync_CniArgsOverLimit_Code4()
    {
        var env = InProcessRun.Environment("ADD");
        env["CNI_ARGS"] = "IgnoreUnknown=1;" + new string('A', 20_000) + "=1";

        AssertError(await InProcessRun.RunAsync(env, Config("\"podnet\"")), 4, "CNI_ARGS");
    }

    [Fact]
    public async Task RunAsync_ControlCharactersInValue_EscapedInLog()
    {
        var env = InProcessRun.Environment("ADD");
        env["CNI_ARGS"] = "IP=10.0.0.1\nforged log line";

        var run = await InProcessRun.RunAsync(env, Config("\"podnet\""));

        AssertError(run, 4, "CNI_ARGS IP");
        Assert.DoesNotContain("\nforged", run.Stderr, StringComparison.Ordinal);
    }

    private static string Config(string nameJson, string extraTop = "") =>
        "{" + extraTop + $"\"cniVersion\":\"1.0.0\",\"name\":{nameJson},"
        + $"\"ipam\":{{\"type\":\"distipam\",\"endpoints\":[\"unix://{DeadSocket}\"],\"timeoutSeconds\":0.3}}}}";

    private static void AssertError(InProcessRun run, int code, string messagePart) => run.AssertError(code, messagePart);
}
