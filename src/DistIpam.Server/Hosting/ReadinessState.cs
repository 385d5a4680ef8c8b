namespace DistIpam.Server.Hosting;

/// <summary>Whether the server has finished start-up (silo running, pools bootstrapped).</summary>
public sealed class ReadinessState
{
    private volatile string? _notReadyReason = "starting";

    /// <summary>True once start-up completed.</summary>
    public bool IsReady => _notReadyReason is null;

    /// <summary>Why not ready, or null.</summary>
    public string? NotReadyReason => _notReadyReason;

    /// <summary>Marks the server ready.</summary>
    public void MarkReady() => _notReadyReason = null;

    /// <summary>Marks the server not ready (shutting down).</summary>
    public void MarkNotReady(string reason) => _notReadyReason = reason;
}
