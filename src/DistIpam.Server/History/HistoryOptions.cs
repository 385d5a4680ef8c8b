namespace DistIpam.Server.History;

/// <summary>The IP history (configuration section <c>DistIpam:History</c>).</summary>
public sealed class HistoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "DistIpam:History";

    /// <summary>Whether allocations and releases are recorded. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Events older than this are dropped (when the address or handle is next written or read). Default 30 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Most events kept per address (oldest dropped first). Default 64 (32 pods).</summary>
    public int MaxEventsPerAddress { get; set; } = 64;

    /// <summary>Most events kept per handle. Default 16.</summary>
    public int MaxEventsPerHandle { get; set; } = 16;
}
