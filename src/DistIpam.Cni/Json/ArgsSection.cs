namespace DistIpam.Cni.Json;

/// <summary>The conventional <c>args</c> object.</summary>
internal sealed class ArgsSection
{
    /// <summary><c>args.cni</c>.</summary>
    public ArgsCniSection? Cni { get; init; }
}
