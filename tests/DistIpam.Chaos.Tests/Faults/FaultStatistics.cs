using System.Collections.Concurrent;
using DistIpam.Chaos.Tests.Schedules;

namespace DistIpam.Chaos.Tests.Faults;

/// <summary>Faults injected over a run, by kind (printed at the end, and asserted for the CI counts).</summary>
internal sealed class FaultStatistics
{
    private readonly ConcurrentDictionary<FaultKind, int> _byKind = new();
    private int _selfTerminations;
    private int _restarts;

    /// <summary>Injected faults by kind.</summary>
    public IReadOnlyDictionary<FaultKind, int> ByKind => _byKind;

    /// <summary>All injected faults.</summary>
    public int Total => _byKind.Values.Sum();

    /// <summary>Silos that ended themselves after a long pause (declared dead while frozen).</summary>
    public int SelfTerminations => _selfTerminations;

    /// <summary>Silo restarts the faults needed.</summary>
    public int Restarts => _restarts;

    /// <summary>Counts an injected fault.</summary>
    public void Injected(FaultKind kind) => _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <summary>Counts a silo that ended itself.</summary>
    public void SelfTerminated() => Interlocked.Increment(ref _selfTerminations);

    /// <summary>Counts a silo restart.</summary>
    public void Restarted() => Interlocked.Increment(ref _restarts);
}
