using System.Globalization;

namespace DistIpam.Security.Tests;

/// <summary>The start-up rules: a reachable listener without TLS and authentication is refused unless explicitly allowed.</summary>
public sealed class StartupSecurityTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_NonLoopbackWithoutTls_ExitsWith2NamingTheRisk()
    {
        await using var server = ServerProcess.Launch(new ServerProcessOptions
        {
            Name = "insecure-refused",
            Arguments = [$"--DistIpam:GrpcListen=0.0.0.0:{FreePort.Next(1)[0].ToString(CultureInfo.InvariantCulture)}"],
        });

        var code = await server.WaitForExitAsync(ExitTimeout);

        Assert.True(code == 2, $"expected exit code 2, saw {code}; output:\n{server.LogTail()}");
        Assert.Contains("AllowInsecure", server.LogTail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnreadableCertificateFile_ExitsWith2NamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "distipam-missing-" + Guid.NewGuid().ToString("N")[..8] + ".crt");
        await using var server = ServerProcess.Launch(new ServerProcessOptions
        {
            Name = "tls-missing-file",
            Arguments = [$"--DistIpam:Tls:CertificateFile={missing}", $"--DistIpam:Tls:KeyFile={missing}.key"],
        });

        var code = await server.WaitForExitAsync(ExitTimeout);

        Assert.True(code == 2, $"expected exit code 2, saw {code}; output:\n{server.LogTail()}");
        Assert.Contains("TLS or auth files", server.LogTail(), StringComparison.Ordinal);
    }
}
