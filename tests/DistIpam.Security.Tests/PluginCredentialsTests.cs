using System.Text.Json;
using DistIpam.Api.V1;
using DistIpam.Cni.Tests;
using Grpc.Core;

namespace DistIpam.Security.Tests;

/// <summary>The plugin's <c>ipam.tls</c> and <c>ipam.tokenFile</c> against a TLS server; secrets never appear in its output.</summary>
public sealed class PluginCredentialsTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>
{
    private static readonly TimeSpan TokenReloadTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Add_HttpsWithCaAndNodeToken_Allocated()
    {
        var node = "plugin-" + Guid.NewGuid().ToString("N")[..8];
        fixture.AddNodeToken(node);
        var tokenFile = WriteFile("token", SecureServerFixture.NodeToken(node) + "\n");

        var run = await AddUntilTokenKnownAsync(Config(node, $"\"tokenFile\":{Json(tokenFile)}"));

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        using var result = JsonDocument.Parse(run.Stdout);
        Assert.NotEmpty(result.RootElement.GetProperty("ips").EnumerateArray());
        AssertAbsent(SecureServerFixture.NodeToken(node), run);
    }

    [Fact]
    public async Task Add_ClientCertificateOfNode_Allocated()
    {
        var (certificate, key) = fixture.Pki.Write(fixture.Client("system:node:plugin-cert-node"), "plugin-node");

        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD", NewContainer()), Config("plugin-cert-node", $"\"tls\":{{\"ca\":{Json(fixture.Pki.AuthorityFile)},\"cert\":{Json(certificate)},\"key\":{Json(key)}}}"));

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        AssertAbsent(File.ReadAllText(key).Split('\n')[1], run);
    }

    [Fact]
    public async Task Add_UnknownToken_RefusedWithoutEchoingIt()
    {
        const string Token = "unknown-secret-token-4711-abcdef";
        var tokenFile = WriteFile("bad-token", Token);

        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD", NewContainer()), Config("plugin-x", $"\"tokenFile\":{Json(tokenFile)}"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("UNAUTHENTICATED", run.Stdout, StringComparison.Ordinal);
        AssertAbsent(Token, run);
    }

    [Fact]
    public async Task Add_TokenForAnotherNode_PermissionDeniedWithoutEchoingIt()
    {
        var node = "plugin-" + Guid.NewGuid().ToString("N")[..8];
        fixture.AddNodeToken(node);
        var tokenFile = WriteFile("token-other", SecureServerFixture.NodeToken(node));

        var run = await AddUntilTokenKnownAsync(Config("some-other-node", $"\"tokenFile\":{Json(tokenFile)}"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("PERMISSION_DENIED", run.Stdout, StringComparison.Ordinal);
        AssertAbsent(SecureServerFixture.NodeToken(node), run);
    }

    [Fact]
    public async Task Add_KeyFileNotAKey_Code7WithoutItsContent()
    {
        const string Secret = "VERY-SECRET-KEY-MATERIAL-0042";
        var (certificate, _) = fixture.Pki.Write(fixture.Client("system:node:k"), "plugin-k");
        var key = WriteFile("broken.key", "-----BEGIN PRIVATE KEY-----\n" + Secret + "\n-----END PRIVATE KEY-----\n");

        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD", NewContainer()), Config("k", $"\"tls\":{{\"cert\":{Json(certificate)},\"key\":{Json(key)}}}"));

        Assert.Equal(7, run.ErrorCode());
        Assert.Contains("ipam.tls.cert", run.Stdout, StringComparison.Ordinal);
        AssertAbsent(Secret, run);
    }

    [Fact]
    public async Task Add_TokenOverPlaintextNetworkEndpoint_Code7()
    {
        var tokenFile = WriteFile("plain-token", "plaintext-token-0123456789abc");
        var config = Config("p", $"\"tokenFile\":{Json(tokenFile)}", withCa: false).Replace($"https://127.0.0.1:{fixture.Server.GrpcPort}", "http://192.0.2.1:50051", StringComparison.Ordinal);

        var run = await InProcessRun.RunAsync(InProcessRun.Environment("ADD", NewContainer()), config);

        Assert.Equal(7, run.ErrorCode());
        Assert.Contains("plaintext", run.Stdout, StringComparison.Ordinal);
        AssertAbsent("plaintext-token-0123456789abc", run);
    }

    [Fact]
    public async Task Status_NodeToken_RenewsItsOwnLease()
    {
        var node = "plugin-" + Guid.NewGuid().ToString("N")[..8];
        fixture.AddNodeToken(node);
        var tokenFile = WriteFile("token-status", SecureServerFixture.NodeToken(node));

        var run = await UntilTokenKnownAsync("STATUS", Config(node, $"\"tokenFile\":{Json(tokenFile)}", cniVersion: "1.1.0"));
        var lease = await Nodes().GetNodeAsync(new GetNodeRequest { Name = node });

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(LeaseState.Alive, lease.LeaseState);
    }

    [Fact]
    public async Task Status_TokenForAnotherNode_Code50AndThatNodeUntouched()
    {
        var node = "plugin-" + Guid.NewGuid().ToString("N")[..8];
        var other = "plugin-other-" + Guid.NewGuid().ToString("N")[..8];
        fixture.AddNodeToken(node);
        var tokenFile = WriteFile("token-status-other", SecureServerFixture.NodeToken(node));

        var run = await UntilTokenKnownAsync("STATUS", Config(other, $"\"tokenFile\":{Json(tokenFile)}", cniVersion: "1.1.0"));

        Assert.Equal(50, run.ErrorCode());
        Assert.Contains("PERMISSION_DENIED", run.Stdout, StringComparison.Ordinal);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => Nodes().GetNodeAsync(new GetNodeRequest { Name = other }).ResponseAsync);
        AssertAbsent(SecureServerFixture.NodeToken(node), run);
    }

    private static string NewContainer() => "c-" + Guid.NewGuid().ToString("N")[..12];

    private static string Json(string text) => JsonSerializer.Serialize(text);

    private static void AssertAbsent(string secret, InProcessRun run)
    {
        Assert.DoesNotContain(secret, run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, run.Stderr, StringComparison.Ordinal);
    }

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(fixture.Pki.Directory, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(path, content);
        return path;
    }

    private Nodes.NodesClient Nodes() => new(fixture.Invoker(token: SecureServerFixture.AdminToken));

    private string Config(string node, string credentials, bool withCa = true, string cniVersion = "1.0.0")
    {
        var ca = withCa && !credentials.StartsWith("\"tls\"", StringComparison.Ordinal) ? $"\"tls\":{{\"ca\":{Json(fixture.Pki.AuthorityFile)}}}," : "";
        return "{\"cniVersion\":\"" + cniVersion + "\",\"name\":\"podnet\",\"ipam\":{\"type\":\"distipam\","
            + $"\"endpoints\":[\"https://127.0.0.1:{fixture.Server.GrpcPort}\"],\"nodeName\":\"{node}\",\"timeoutSeconds\":10,"
            + ca + credentials + "}}";
    }

    // The token was just appended to the server's file, which it re-reads within a second.
    private static Task<InProcessRun> AddUntilTokenKnownAsync(string config) => UntilTokenKnownAsync("ADD", config);

    private static async Task<InProcessRun> UntilTokenKnownAsync(string command, string config)
    {
        InProcessRun? run = null;
        var container = NewContainer();
        await Poll.UntilAsync(
            async () =>
            {
                run = await InProcessRun.RunAsync(InProcessRun.Environment(command, container), config);
                return run.Stdout.Contains("UNAUTHENTICATED", StringComparison.Ordinal) ? run.Stdout : null;
            },
            TokenReloadTimeout,
            "the new node token accepted");
        return run!;
    }
}
