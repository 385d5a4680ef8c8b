using System.Diagnostics;
using DistIpam.Cni.Tests.Fixtures;

namespace DistIpam.Cni.Tests.Functional;

/// <summary>A caller that stops reading stdout (a runtime that gave up on the call) must not turn the answer into a crash.</summary>
[Collection(SharedServer.Name)]
public class ClosedStdoutTests(ServerFixture fixture)
{
    [Fact]
    public async Task Add_StdoutClosedBeforeTheAnswer_FailsCleanlyWithoutCrashing()
    {
        var start = new ProcessStartInfo(fixture.Plugin.PluginPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CNI_COMMAND"] = "ADD";
        start.Environment["CNI_CONTAINERID"] = "closed-stdout";
        start.Environment["CNI_IFNAME"] = "eth0";
        start.Environment["CNI_NETNS"] = "/var/run/netns/unused";
        start.Environment["CNI_PATH"] = Path.GetDirectoryName(fixture.Plugin.PluginPath);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        // The plugin reads stdin to its end before it answers: closing our end of its stdout first makes its write meet EPIPE.
        process.StandardOutput.Close();
        await process.StandardInput.WriteAsync("""{"cniVersion":"1.1.0","name":"n","ipam":{"type":"distipam"}}""");
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(PluginRunner.ProcessTimeout);
        await process.WaitForExitAsync(deadline.Token);

        // A configuration error (no endpoints) answered as exit 1, as with an open stdout; not an abort (134).
        Assert.True(process.ExitCode == 1, $"exit {process.ExitCode}; stderr: {await stderr}");
        Assert.DoesNotContain("Unhandled exception", await stderr, StringComparison.Ordinal);
    }
}
