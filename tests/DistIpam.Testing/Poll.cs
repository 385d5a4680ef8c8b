using System.Diagnostics;

namespace DistIpam.Testing;

/// <summary>Waiting for a condition without fixed sleeps: poll until it holds or a deadline passes.</summary>
public static class Poll
{
    /// <summary>The pause between two checks.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Calls <paramref name="probe"/> until it returns null (the condition holds) or <paramref name="timeout"/>
    /// passes; the probe returns what it saw instead, which the failure reports next to <paramref name="expected"/>.
    /// </summary>
    public static async Task UntilAsync(Func<Task<string?>> probe, TimeSpan timeout, string expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await probe();
            if (seen is null)
            {
                return;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"expected {expected} within {timeout.TotalSeconds:0.#} s, but saw: {seen}");
            }

            await Task.Delay(Interval, cancellationToken);
        }
    }
}
