namespace DistIpam.Grains.Services;

/// <summary>What a create or update resolves to: type, policy, families and, per family, the pool and a requested IP (null = any).</summary>
internal sealed record ServicePlan(
    ServiceType Type,
    IpFamilyPolicy Policy,
    IReadOnlyList<int> Families,
    IReadOnlyList<ServicePool> Pools,
    IReadOnlyList<string?> Requested);
