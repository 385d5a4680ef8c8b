using System.Diagnostics;
using System.Globalization;

namespace DistIpam.Server.Fencing;

/// <summary>
/// Decides whether this silo may start work for a client (docs/architecture.md, "Fencing"). It stops
/// serving when it (1) notices it was paused or starved (a watchdog thread that did not tick for
/// <see cref="SiloFenceOptions.PauseThreshold"/>, then a quarantine), (2) could not confirm in the
/// membership table recently that it is alive (a lease), or (3) learned it was declared dead.
/// Time here only makes the silo refuse sooner; what makes a late write harmless is the storage
/// fence and the ETags, which trust no clock.
/// </summary>
public sealed partial class SiloFence(SiloFenceOptions options, ILogger<SiloFence> logger)
{
    private long _lastTick = Stopwatch.GetTimestamp();
    private long _quarantinedUntil;
    private long _leaseExpires = long.MaxValue;
    private long _resumedAt;
    private volatile bool _dead;
    private int _pausesDetected;

    /// <summary>True when fencing is on (set at start).</summary>
    public bool Enabled { get; private set; }

    /// <summary>Times the watchdog saw a pause.</summary>
    public int PausesDetected => _pausesDetected;

    /// <summary>Turns fencing on; with <paramref name="leased"/> the silo serves only while its lease is renewed.</summary>
    internal void Enable(bool leased)
    {
        Enabled = true;
        Interlocked.Exchange(ref _lastTick, Stopwatch.GetTimestamp());
        if (leased)
        {
            // Nothing is served until the first membership read confirms this silo is alive.
            Interlocked.Exchange(ref _leaseExpires, 0);
        }
    }

    /// <summary>Null when the silo may serve; otherwise why not (for an UNAVAILABLE status).</summary>
    public string? WhyNotServing()
    {
        if (!Enabled)
        {
            return null;
        }

        var now = Stopwatch.GetTimestamp();
        if (_dead)
        {
            return "this silo was declared dead by the cluster and is stopping";
        }

        // Checked here too, not only by the watchdog: right after a resume, requests that waited in
        // the sockets are dispatched before the watchdog thread has run again.
        var sinceTick = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastTick), now);
        if (sinceTick > options.PauseThreshold)
        {
            return $"this silo was not scheduled for {Ms(sinceTick)} ms (paused or starved)";
        }

        if (now < Interlocked.Read(ref _quarantinedUntil))
        {
            return "this silo resumed from a pause and refuses requests that may have waited through it";
        }

        var lease = Interlocked.Read(ref _leaseExpires);
        return now > lease
            ? "this silo has not confirmed its membership recently (membership table unreachable or slow)"
            : null;
    }

    /// <summary>Called by the watchdog thread on every tick.</summary>
    internal void Tick()
    {
        var now = Stopwatch.GetTimestamp();
        var gap = Stopwatch.GetElapsedTime(Interlocked.Exchange(ref _lastTick, now), now);
        if (gap > options.PauseThreshold)
        {
            Interlocked.Exchange(ref _resumedAt, now);
            Interlocked.Exchange(ref _quarantinedUntil, now + Ticks(options.Quarantine));

            // A fresh membership read is needed before serving again.
            Interlocked.Exchange(ref _leaseExpires, 0);
            Interlocked.Increment(ref _pausesDetected);
            LogPaused(Ms(gap), Ms(options.Quarantine));
        }
    }

    /// <summary>A membership read that started at <paramref name="readStarted"/> found this silo alive.</summary>
    internal void Renew(long readStarted)
    {
        // A read that started before the last pause may have been answered with the table as it was
        // before the cluster noticed the pause: only a read started after the resume renews.
        if (readStarted > Interlocked.Read(ref _resumedAt))
        {
            Interlocked.Exchange(ref _leaseExpires, readStarted + Ticks(options.LeaseDuration));
        }
    }

    /// <summary>The membership table says this silo is dead: stop serving for good.</summary>
    internal void MarkDead()
    {
        if (!_dead)
        {
            _dead = true;
            LogDead();
        }
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Silo was paused or starved for {GapMs} ms: refusing requests for {QuarantineMs} ms and until its membership is confirmed")]
    private partial void LogPaused(string gapMs, string quarantineMs);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "The membership table says this silo is dead: refusing every request")]
    private partial void LogDead();
}
