namespace DistIpam.Cni.Json;

/// <summary>
/// The network configuration on stdin, as far as distipam reads it. Fields of the main plugin
/// (bridge, ptp, ...) are ignored.
/// </summary>
internal sealed class NetworkConfigDocument
{
    /// <summary>The requested spec version; results take its shape.</summary>
    public string? CniVersion { get; init; }

    /// <summary>The network name: first part of the handle.</summary>
    public string? Name { get; init; }

    /// <summary>The plugin type (distipam when called directly, the main plugin otherwise).</summary>
    public string? Type { get; init; }

    /// <summary>distipam's own section.</summary>
    public IpamSection? Ipam { get; init; }

    /// <summary>The result of the previous plugin (CHECK compares its addresses).</summary>
    public PrevResultDocument? PrevResult { get; init; }

    /// <summary>Capability arguments from the runtime (<c>ips</c>).</summary>
    public RuntimeConfigSection? RuntimeConfig { get; init; }

    /// <summary>Conventional <c>args</c> (<c>args.cni.ips</c>).</summary>
    public ArgsSection? Args { get; init; }

    /// <summary>GC: the attachments still alive (<c>cni.dev/valid-attachments</c>).</summary>
    public List<AttachmentEntry>? ValidAttachments { get; init; }

    /// <summary>GC: <c>cni.dev/attachments</c>, the pre-1.1 draft name of <see cref="ValidAttachments"/>, also accepted.</summary>
    public List<AttachmentEntry>? Attachments { get; init; }
}
