namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>Which address families an Allocate asks for.</summary>
internal enum FamilyChoice
{
    /// <summary>Both default pod pools (IPv4 and IPv6): all-or-nothing.</summary>
    DualStack,

    /// <summary>Only the IPv4 pod pool.</summary>
    V4,

    /// <summary>Only the IPv6 pod pool.</summary>
    V6,
}
