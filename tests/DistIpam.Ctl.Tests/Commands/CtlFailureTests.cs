using DistIpam.Ctl.Hosting;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// Failures outside the gRPC call (client configuration, TLS files, the report file) end with one
/// line naming the endpoint or file and the documented exit code, never an exception's stack trace;
/// and --help is help even on a command line that would not parse.
/// </summary>
public sealed class CtlFailureTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("distipamctl-failures-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task TokenFile_PlaintextEndpointOffLoopback_ExitTwoNamingTheEndpoint()
    {
        var token = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(token, "secret-token\n");

        var run = (await CtlRun.RunAsync(fixture.Endpoint, "--endpoint", "192.0.2.1:50051", "--token-file", token, "version")).Expect(ExitCodes.Usage);

        AssertOneLine(run, "192.0.2.1:50051");
        Assert.DoesNotContain("(Parameter", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaFile_NotACertificate_ExitTwoNamingTheFile()
    {
        var ca = Path.Combine(_directory, "ca.pem");
        await File.WriteAllTextAsync(ca, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        var run = (await CtlRun.RunAsync(fixture.Endpoint, "--endpoint", "https://127.0.0.1:9", "--ca-file", ca, "version")).Expect(ExitCodes.Usage);

        AssertOneLine(run, ca);
    }

    [Fact]
    public async Task CertFile_NotPem_ExitTwoNamingTheFile()
    {
        var cert = Path.Combine(_directory, "client.pem");
        var key = Path.Combine(_directory, "client.key");
        await File.WriteAllTextAsync(cert, "not a certificate\n");
        await File.WriteAllTextAsync(key, "not a key\n");

        var run = (await CtlRun.RunAsync(fixture.Endpoint, "--endpoint", "https://127.0.0.1:9", "--cert-file", cert, "--key-file", key, "version")).Expect(ExitCodes.Usage);

        AssertOneLine(run, cert);
    }

    [Fact]
    public async Task Check_ReportPathIsADirectory_ExitOneNamingThePath()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "check", "-o", _directory)).Expect(ExitCodes.Failure);

        AssertOneLine(run, _directory);
    }

    [Fact]
    public async Task Check_ReportInMissingDirectory_ExitOneNamingThePath()
    {
        var report = Path.Combine(_directory, "missing", "report.json");

        var run = (await CtlRun.RunAsync(fixture.Endpoint, "check", "-o", report)).Expect(ExitCodes.Failure);

        AssertOneLine(run, report);
    }

    [Fact]
    public async Task Help_CommandMissingItsArgument_PrintsHelpNotAParseError()
    {
        var run = (await CtlRun.RunAsync(fixture.Endpoint, "nodes", "drain", "--help")).Expect(ExitCodes.Ok);

        Assert.Contains("--force", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    private static void AssertOneLine(CtlRun run, string named)
    {
        var lines = run.Error.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1 && lines[0].StartsWith("distipamctl: ", StringComparison.Ordinal), $"expected one 'distipamctl: ' line on stderr, got:\n{run.Error}");
        Assert.Contains(named, run.Error, StringComparison.Ordinal);
    }
}
