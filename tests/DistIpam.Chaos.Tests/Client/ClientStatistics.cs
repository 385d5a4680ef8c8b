using System.Collections.Concurrent;

namespace DistIpam.Chaos.Tests.Client;

/// <summary>What the client saw over a whole run (printed at the end).</summary>
internal sealed class ClientStatistics
{
    private readonly ConcurrentQueue<string> _internal = new();
    private readonly ConcurrentDictionary<(string What, CallStatus Status), int> _outcomes = new();
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

    /// <summary>Outcomes per call kind, e.g. "MoveHandle: 31 Succeeded, 12 Refused".</summary>
    public IEnumerable<string> OutcomesByCall() => _outcomes
        .GroupBy(o => o.Key.What, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key}: {string.Join(", ", g.OrderBy(o => o.Key.Status).Select(o => $"{o.Value} {o.Key.Status}"))}");

    /// <summary>Counts a finished call.</summary>
    public void Finished(string what, CallStatus status) => _outcomes.AddOrUpdate((what, status), 1, (_, n) => n + 1);

    /// <summary>Records an INTERNAL answer.</summary>
    public void Internal(string what) => _internal.Enqueue(what);
}
