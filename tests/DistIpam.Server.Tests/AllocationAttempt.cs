using DistIpam.Api.V1;

namespace DistIpam.Server.Tests;

/// <summary>One Allocate sent during the crash test, and the addresses if the reply arrived.</summary>
public sealed class AllocationAttempt(Handle handle, string node)
{
    /// <summary>The handle allocated for.</summary>
    public Handle Handle { get; } = handle;

    /// <summary>The node named in the request.</summary>
    public string Node { get; } = node;

    /// <summary>The addresses of the reply, or null when no reply arrived (not acknowledged).</summary>
    public IReadOnlyList<string>? Acknowledged { get; set; }

    /// <summary>Why no reply arrived, if so.</summary>
    public string? Failure { get; set; }
}
