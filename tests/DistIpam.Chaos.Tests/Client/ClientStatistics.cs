using System.Collections.Concurrent;

namespace DistIpam.Chaos.Tests.Client;

/// <summary>What the client saw over a whole run (printed at the end).</summary>
internal sealed class ClientStatistics
{
    private readonly ConcurrentQueue<string> _internal = new();
    private long _attempts;
    private long _retries;

    /// <summary>Attempts made, over every call.</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Attempts that were retried after a retryable failure.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Every INTERNAL (or other non-retryable, non-definitive) answer, with where it came from.</summary>
    public IReadOnlyCollection<string> InternalErrors => _internal;

    /// <summary>Counts an attempt.</summary>
    public void Attempted() => Interlocked.Increment(ref _attempts);

    /// <summary>Counts a retry.</summary>
    public void Retried() => Interlocked.Increment(ref _retries);

    /// <summary>Records an INTERNAL answer.</summary>
    public void Internal(string what) => _internal.Enqueue(what);
}
