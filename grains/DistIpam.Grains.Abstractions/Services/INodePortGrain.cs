namespace DistIpam.Grains.Services;

/// <summary>
/// The NodePorts of one range (key = range name; bounds from <c>ServiceOptions</c>): Core's
/// <c>PortRangeAllocator</c> behind a reentrant grain with group commit. Answers only after the
/// change is durable.
/// </summary>
public interface INodePortGrain : IGrainWithStringKey
{
    /// <summary>The key of the one range the server uses.</summary>
    const string DefaultRange = "default";

    /// <summary>
    /// Takes every port of <paramref name="specific"/> (idempotent for ports the holder already has)
    /// and <paramref name="dynamicCount"/> more, all or nothing; returns the dynamic ones. Idempotent
    /// per holder: ports <paramref name="holder"/> already holds that are not in
    /// <paramref name="specific"/> are answered as dynamic ones before new ports are taken, so a
    /// retried create gets the ports it took before.
    /// <c>AlreadyExists</c> naming the holder of a taken port, <c>InvalidArgument</c> for a port
    /// outside the range, <c>Exhausted</c> naming the range.
    /// </summary>
    Task<IReadOnlyList<int>> AllocateAsync(string holder, IReadOnlyList<int> specific, int dynamicCount);

    /// <summary>Frees the ports <paramref name="holder"/> holds among <paramref name="ports"/>. Idempotent; returns how many were freed.</summary>
    Task<int> ReleaseAsync(string holder, IReadOnlyList<int> ports);

    /// <summary>
    /// Frees <paramref name="port"/> with the rules of <see cref="IClusterIpRangeGrain.ReleaseUnheldAsync"/>.
    /// </summary>
    Task<bool> ReleaseUnheldAsync(string holder, int port);

    /// <summary>Every allocated port with its holder.</summary>
    Task<IReadOnlyList<HeldValue>> ListAsync();

    /// <summary>
    /// Frees ports their holder no longer holds, with the same rules as
    /// <see cref="IClusterIpRangeGrain.ReconcileAsync"/>. Returns what was freed (durably).
    /// </summary>
    Task<IReadOnlyList<HeldValue>> ReconcileAsync();
}
