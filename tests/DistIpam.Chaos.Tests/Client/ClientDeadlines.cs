namespace DistIpam.Chaos.Tests.Client;

/// <summary>The chaos client's deadlines (docs/chaos.md).</summary>
internal static class ClientDeadlines
{
    /// <summary>
    /// One attempt at one silo. It must exceed the failure-detection time: a request stuck at a
    /// frozen silo is abandoned after this, and the next silo must by then be able to serve it
    /// (the cluster has declared the frozen one dead). The CNI plugin uses the same figure.
    /// </summary>
    public static readonly TimeSpan PerAttempt = TimeSpan.FromSeconds(8);

    /// <summary>The whole operation, over every attempt; after it the outcome is unknown.</summary>
    public static readonly TimeSpan Operation = TimeSpan.FromSeconds(60);

    /// <summary>The pause after a round of attempts over every silo failed.</summary>
    public static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(200);
}
