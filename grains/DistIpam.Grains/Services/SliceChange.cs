namespace DistIpam.Grains.Services;

/// <summary>What an endpoint change did to the slices: names of slices created, modified and deleted.</summary>
internal sealed record SliceChange(IReadOnlyList<string> Added, IReadOnlyList<string> Modified, IReadOnlyList<string> Deleted)
{
    /// <summary>True when no slice changed.</summary>
    public bool IsEmpty => Added.Count == 0 && Modified.Count == 0 && Deleted.Count == 0;
}
