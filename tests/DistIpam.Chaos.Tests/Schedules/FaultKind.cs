namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>The faults a schedule can inject while its workers run (docs/chaos.md lists what each does).</summary>
internal enum FaultKind
{
    /// <summary>SIGKILL of one silo, then a restart.</summary>
    KillSilo,

    /// <summary>SIGTERM of one silo (graceful stop with requests in flight), then a restart.</summary>
    StopSilo,

    /// <summary>SIGSTOP of one silo for less than the fastest death declaration, then SIGCONT.</summary>
    ShortPause,

    /// <summary>SIGSTOP of one silo for longer than the death declaration bound, then SIGCONT (and a restart if it ended itself).</summary>
    LongPause,

    /// <summary>SIGSTOP of one silo while another is killed and restarted, then SIGCONT.</summary>
    PauseWhileKill,

    /// <summary>SIGKILL of one silo during a burst of first block claims by new nodes.</summary>
    KillDuringClaimBurst,

    /// <summary>A fourth silo joins, serves, and is stopped again.</summary>
    AddSilo,

    /// <summary>Redis is stopped (SIGTERM, AOF flushed) and started again.</summary>
    RedisRestart,

    /// <summary>Redis is frozen (SIGSTOP) for a few seconds, then SIGCONT.</summary>
    RedisPause,
}
