namespace DistIpam.Grains.Services;

/// <summary>One slice as the service grain stores it. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class SliceState
{
    /// <summary>The slice name.</summary>
    [Id(0)] public string Name { get; set; } = "";

    /// <summary>4 or 6.</summary>
    [Id(1)] public int Family { get; set; }

    /// <summary>The targets of its endpoints, in insertion order.</summary>
    [Id(2)] public List<string> Targets { get; set; } = [];

    /// <summary>The feed version of its last change.</summary>
    [Id(3)] public long Version { get; set; }

    /// <summary>A deep copy.</summary>
    public SliceState Clone() => new() { Name = Name, Family = Family, Targets = [.. Targets], Version = Version };
}
