using System.Text.Json.Serialization;

namespace DistIpam.Cni.Json;

/// <summary>One attachment in <c>cni.dev/valid-attachments</c>.</summary>
internal sealed class AttachmentEntry
{
    /// <summary>The container id.</summary>
    [JsonPropertyName("containerID")]
    public string? ContainerId { get; init; }

    /// <summary>The interface name.</summary>
    [JsonPropertyName("ifname")]
    public string? IfName { get; init; }
}
