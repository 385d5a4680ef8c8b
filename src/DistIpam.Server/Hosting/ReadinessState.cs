using DistIpam.Server.Fencing;

namespace DistIpam.Server.Hosting;

/// <summary>
/// Whether the server serves: start-up finished (silo running, pools bootstrapped) and the silo's
/// fence lets it serve (not paused, membership confirmed; docs/architecture.md, "Fencing").
/// </summary>
public sealed class ReadinessState(SiloFence fence)
{
    private volatile string? _notReadyReason = "starting";

    /// <summary>True once start-up completed, while the fence lets the silo serve.</summary>
    public bool IsReady => NotReadyReason is null;

    /// <summary>Why not ready, or null.</summary>
    public string? NotReadyReason => _notReadyReason ?? fence.WhyNotServing();

    /// <summary>Marks start-up complete.</summary>
    public void MarkReady() => _notReadyReason = null;

    /// <summary>Marks the server not ready (shutting down).</summary>
    public void MarkNotReady(string reason) => _notReadyReason = reason;
}
