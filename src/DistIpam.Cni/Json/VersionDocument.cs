namespace DistIpam.Cni.Json;

/// <summary>The VERSION answer.</summary>
internal sealed class VersionDocument
{
    /// <summary>The version of this answer.</summary>
    public required string CniVersion { get; init; }

    /// <summary>Every supported spec version.</summary>
    public required IReadOnlyList<string> SupportedVersions { get; init; }
}
