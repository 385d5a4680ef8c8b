using System.Globalization;

namespace DistIpam.Chaos.Tests.Faults;

/// <summary>
/// Fault durations, all derived from <see cref="DeathDeclarationBound"/> (docs/chaos.md): the
/// longest time the cluster may take to declare a frozen silo dead.
/// </summary>
internal static class FaultTiming
{
    /// <summary>Overrides <see cref="DeathDeclarationBound"/> (seconds), e.g. after the failure detection is tuned again.</summary>
    public const string DeathDeclarationVariable = "DISTIPAM_CHAOS_DEATH_DECLARATION_SECONDS";

    /// <summary>
    /// The bound on declaring a frozen silo dead: T_detect of docs/operations.md, 4.5 s (measured
    /// 2.9-4.1 s on a loaded 2-core machine; it was ~8 s before the membership tuning).
    /// </summary>
    public static readonly TimeSpan DeathDeclarationBound = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable(DeathDeclarationVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 4.5);

    /// <summary>
    /// A pause the cluster must ride out without declaring anyone dead: half the 3 s of silence
    /// Orleans needs before it votes against a silo whose connections are open (docs/operations.md).
    /// </summary>
    public static readonly TimeSpan ShortPause = TimeSpan.FromMilliseconds(1500);

    /// <summary>A pause past the death declaration, with a margin as large again: the frozen silo is dead to the others when it resumes.</summary>
    public static readonly TimeSpan LongPause = DeathDeclarationBound * 2;

    /// <summary>How long a silo resumed after a long pause gets to end itself (it was declared dead) or to serve again.</summary>
    public static readonly TimeSpan SelfTerminationWait = DeathDeclarationBound + TimeSpan.FromSeconds(6);

    /// <summary>How long after SIGCONT a resumed silo gets to notice its pause before its readiness counts.</summary>
    public static readonly TimeSpan ResumeSettle = TimeSpan.FromSeconds(1);

    /// <summary>How long Redis stays frozen.</summary>
    public static readonly TimeSpan RedisPause = TimeSpan.FromSeconds(3);

    /// <summary>How long a killed silo stays down before its restart (requests meanwhile fail over).</summary>
    public static readonly TimeSpan DownTime = TimeSpan.FromSeconds(1);

    /// <summary>How long an added silo serves before it is stopped again.</summary>
    public static readonly TimeSpan AddedSiloServes = TimeSpan.FromSeconds(3);

    /// <summary>How long after a claim burst starts the silo is killed (claims take milliseconds each).</summary>
    public static readonly TimeSpan BurstKillDelay = TimeSpan.FromMilliseconds(150);
}
