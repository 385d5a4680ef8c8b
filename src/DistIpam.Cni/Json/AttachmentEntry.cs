namespace DistIpam.Cni.Json;

/// <summary>One attachment in <c>cni.dev/valid-attachments</c>.</summary>
internal sealed class AttachmentEntry
{
    /// <summary>The container id (<c>containerID</c>).</summary>
    public string? ContainerId { get; init; }

    /// <summary>The interface name.</summary>
    public string? IfName { get; init; }
}
