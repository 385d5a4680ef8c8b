using System.Diagnostics;

namespace DistIpam.Grains.Tests;

/// <summary>
/// Waiting for something that happens in the background (timers, deactivation) without fixed
/// sleeps: poll until a condition holds or a deadline passes, then fail saying what was expected
/// and what was seen last.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="probe"/> until <paramref name="accept"/> holds; returns the accepted value.</summary>
    public static async Task<T> MatchesAsync<T>(
        Func<Task<T>> probe,
        Func<T, bool> accept,
        string expected,
        Func<T, string> describe,
        TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (accept(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"expected {expected} within {limit.TotalSeconds:0.#} s; last seen: {describe(value)}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>
    /// Calls <paramref name="call"/> until it succeeds, retrying only failures
    /// <paramref name="retryable"/> accepts; fails with the last error at the deadline.
    /// </summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> call, Func<Exception, bool> retryable, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (retryable(e))
            {
                if (clock.Elapsed > limit)
                {
                    Assert.Fail($"expected {what} to succeed within {limit.TotalSeconds:0.#} s; last error: {e.GetType().Name}: {e.Message}");
                }
            }

            await Task.Delay(PollInterval);
        }
    }
}
