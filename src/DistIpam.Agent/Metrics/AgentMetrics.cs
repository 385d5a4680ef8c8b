using System.Diagnostics.Metrics;
using DistIpam.Agent.Reserve;

namespace DistIpam.Agent.Metrics;

/// <summary>
/// The agent's instruments (meter <see cref="MeterName"/>), exported at <c>/metrics</c> when
/// <see cref="AgentOptions.MetricsPort"/> is set (docs/agent.md, Metrics). Gauges read the book under
/// its lock at scrape time; counters and the histogram are updated where things happen.
/// </summary>
public sealed class AgentMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "DistIpam.Agent";

    private readonly Meter _meter = new(MeterName, AgentIdentity.Version);
    private readonly Counter<long> _assignments;
    private readonly Counter<long> _passThrough;
    private readonly Counter<long> _rounds;
    private readonly Histogram<double> _fsync;
    private int _reachable = -1;

    /// <summary>Creates the instruments over <paramref name="book"/>.</summary>
    public AgentMetrics(ReserveBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        _meter.CreateObservableGauge("distipam_agent_reserve_free_slots", () => FreeSlots(book), "{slot}", "Free slots of the warm reserve, by the family of the address they hold");
        _meter.CreateObservableGauge("distipam_agent_confirmations_pending", () => Locked(book, b => b.Unconfirmed().Count), "{slot}", "Slots given to pods that the server does not know under the pod's handle yet");
        _meter.CreateObservableGauge("distipam_agent_releases_pending", () => Locked(book, b => b.PendingReleaseCount), "{release}", "DELs journaled and not yet done at the server");
        _meter.CreateObservableGauge("distipam_agent_server_reachable", () => Math.Max(Volatile.Read(ref _reachable), 0), null, "1 when the last call to a server was answered, 0 when no server answered it");
        _assignments = _meter.CreateCounter<long>("distipam_agent_assignments", "{assignment}", "ADDs served from the warm reserve");
        _passThrough = _meter.CreateCounter<long>("distipam_agent_pass_through", "{call}", "Calls forwarded to a server, by operation");
        _rounds = _meter.CreateCounter<long>("distipam_agent_reserve_rounds", "{round}", "Rounds of the reserve worker that reached the server for every step (replay, confirm, verify, refill)");
        _fsync = _meter.CreateHistogram<double>("distipam_agent_journal_fsync_duration", "s", "Time of one journal flush to disk (one per group commit)", advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
        });
    }

    /// <summary>An ADD was served from the reserve.</summary>
    public void Assigned() => _assignments.Add(1);

    /// <summary>A call went to a server.</summary>
    public void PassedThrough(string operation) => _passThrough.Add(1, new KeyValuePair<string, object?>("operation", operation));

    /// <summary>The reserve worker finished a round with every step done.</summary>
    public void WorkerRoundCompleted() => _rounds.Add(1);

    /// <summary>One journal flush of <paramref name="records"/> records took <paramref name="elapsed"/>.</summary>
    public void JournalFsynced(TimeSpan elapsed, int records) => _fsync.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("records", records == 1 ? "1" : "many"));

    /// <summary>Whether the last call to a server was answered (a refusal is an answer).</summary>
    public void ServerReached(bool answered) => Volatile.Write(ref _reachable, answered ? 1 : 0);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> FreeSlots(ReserveBook book)
    {
        var (v4, v6) = Locked(book, b => b.FreeByFamily());
        return [new(v4, new KeyValuePair<string, object?>("family", "ipv4")), new(v6, new KeyValuePair<string, object?>("family", "ipv6"))];
    }

    private static T Locked<T>(ReserveBook book, Func<ReserveBook, T> read)
    {
        lock (book.Gate)
        {
            return read(book);
        }
    }
}
