namespace DistIpam.Services.Tests.Functional;

/// <summary>A server that keeps only 32 events of history and buffers at most 50 events per watcher.</summary>
public sealed class ServicesLimitsFixture : ServicesServerFixture
{
    /// <summary>The per-watcher buffer.</summary>
    public const int WatcherBuffer = 50;

    /// <summary>Creates the fixture.</summary>
    public ServicesLimitsFixture()
        : base("services-limits", [
            "--DistIpam:Services:RetainedEvents=32",
            "--DistIpam:Services:FeedSegmentSize=8",
            $"--DistIpam:Services:WatcherBufferEvents={WatcherBuffer}",
        ])
    {
    }
}
