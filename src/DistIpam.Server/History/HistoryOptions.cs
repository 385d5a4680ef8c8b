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

    /// <summary>Events waiting to be written, at most (beyond: rebuilt from the blocks later). Default 100,000.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>After a start, allocations this recent get their history rebuilt from the blocks (a crash may have lost it). Default 10 min.</summary>
    public TimeSpan StartupBackfill { get; set; } = TimeSpan.FromMinutes(10);
}
