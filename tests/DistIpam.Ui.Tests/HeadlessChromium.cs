using System.Diagnostics;

namespace DistIpam.Ui.Tests;

/// <summary>Runs Debian's <c>chromium</c> headless on a page: its DOM after scripts ran, or a screenshot.</summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The serialized DOM after the page's scripts had <paramref name="budgetMs"/> ms of virtual time.</summary>
    public static async Task<string> DumpDomAsync(Uri page, int budgetMs = 8000) =>
        (await RunAsync($"--virtual-time-budget={budgetMs} --dump-dom \"{page}\"")).Output;

    /// <summary>Writes a screenshot of <paramref name="page"/> to <paramref name="file"/>.</summary>
    public static Task ScreenshotAsync(Uri page, string file, int budgetMs = 8000) =>
        RunAsync($"--virtual-time-budget={budgetMs} --window-size=1280,1000 --screenshot=\"{file}\" \"{page}\"");

    private static async Task<(string Output, string Error)> RunAsync(string arguments)
    {
        var profile = Path.Combine(Path.GetTempPath(), $"distipam-chromium-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo("chromium", $"--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=\"{profile}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            // Never skip silently: tests/run.sh installs the Debian package chromium.
            throw new InvalidOperationException("headless Chromium is required (Debian package 'chromium'; tests/run.sh installs it)", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {Timeout.TotalSeconds} s: {arguments}");
            }
            finally
            {
                try
                {
                    Directory.Delete(profile, recursive: true);
                }
                catch (IOException)
                {
                    // A profile file still being closed; the temp directory is cleaned later.
                }
            }

            Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}: {await error}");
            return (await output, await error);
        }
    }
}
