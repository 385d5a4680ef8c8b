namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>
/// Which faults a generator puts in its schedules. The CI run draws a fixed number of schedules
/// from each class, so its fault counts are guaranteed, not left to chance (docs/chaos.md).
/// </summary>
internal enum FaultClass
{
    /// <summary>Concurrent work only.</summary>
    None,

    /// <summary>Exactly one pause longer than the death declaration.</summary>
    LongPause,

    /// <summary>Exactly one fault of any other kind.</summary>
    Other,

    /// <summary>
    /// Crashes only: SIGKILL of a silo (also during a claim burst) and Redis restarts, which cut
    /// writes in flight (the broken-variant test).
    /// </summary>
    Crash,
}
