namespace DistIpam.Core.Allocation;

/// <summary>
/// Who an allocation is for, recorded with it so operators can find leaks and the garbage
/// collector can tell a live pod from a dead one. Every field is optional: a CNI call that does
/// not carry Kubernetes pod identity still allocates.
/// </summary>
/// <param name="Node">The node the attachment was made on.</param>
/// <param name="PodNamespace">The pod's namespace (CNI_ARGS K8S_POD_NAMESPACE).</param>
/// <param name="PodName">The pod's name (CNI_ARGS K8S_POD_NAME).</param>
/// <param name="PodUid">The pod's UID (CNI_ARGS K8S_POD_UID).</param>
/// <param name="HandleGeneration">
/// The holder's generation when it asked (the handle's stored write count plus one). A later
/// attempt of the same handle with a higher generation replaces this allocation instead of reusing
/// it, so a release fenced at a generation never frees what a newer attempt recorded.
/// </param>
public sealed record AllocationAttributes(
    string? Node = null,
    string? PodNamespace = null,
    string? PodName = null,
    string? PodUid = null,
    ulong HandleGeneration = 0)
{
    /// <summary>No attributes at all.</summary>
    public static AllocationAttributes None { get; } = new();
}
