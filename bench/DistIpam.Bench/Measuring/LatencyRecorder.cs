using System.Diagnostics;
using HdrHistogram;

namespace DistIpam.Bench.Measuring;

/// <summary>
/// Thread-safe latency recording: an HdrHistogram (1 µs resolution, 3 significant digits) for the
/// percentiles and the raw samples for CDF plots. Benchmarks record at most a few hundred thousand
/// samples, so keeping them costs little.
/// </summary>
public sealed class LatencyRecorder
{
    private const long HighestTrackableMicroseconds = 10L * 60 * 1000 * 1000;
    private readonly Lock _gate = new();
    private readonly LongHistogram _histogram = new(HighestTrackableMicroseconds, 3);
    private readonly List<double> _samplesMs = [];

    /// <summary>How many samples were recorded.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _samplesMs.Count;
            }
        }
    }

    /// <summary>Records one duration measured with <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

    /// <summary>Records one duration.</summary>
    public void Record(TimeSpan elapsed)
    {
        var microseconds = Math.Clamp((long)(elapsed.Ticks / 10.0), 1, HighestTrackableMicroseconds);
        lock (_gate)
        {
            _histogram.RecordValue(microseconds);
            _samplesMs.Add(elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Percentiles and extremes in milliseconds.</summary>
    public LatencySummary Summarize()
    {
        lock (_gate)
        {
            if (_samplesMs.Count == 0)
            {
                return new LatencySummary(0, 0, 0, 0, 0, 0);
            }

            return new LatencySummary(
                _samplesMs.Count,
                _histogram.GetValueAtPercentile(50) / 1000.0,
                _histogram.GetValueAtPercentile(90) / 1000.0,
                _histogram.GetValueAtPercentile(99) / 1000.0,
                _histogram.GetMaxValue() / 1000.0,
                _histogram.GetMean() / 1000.0);
        }
    }

    /// <summary>The samples in the order they were recorded (milliseconds).</summary>
    public IReadOnlyList<double> SamplesInOrder()
    {
        lock (_gate)
        {
            return _samplesMs.ToArray();
        }
    }

    /// <summary>A recorder holding <paramref name="samplesMs"/>, to summarize a slice of a run.</summary>
    public static LatencyRecorder Of(IEnumerable<double> samplesMs)
    {
        ArgumentNullException.ThrowIfNull(samplesMs);
        var recorder = new LatencyRecorder();
        foreach (var sample in samplesMs)
        {
            recorder.Record(TimeSpan.FromMilliseconds(sample));
        }

        return recorder;
    }

    /// <summary>The samples sorted ascending (milliseconds), for a CDF.</summary>
    public IReadOnlyList<double> SortedSamples()
    {
        lock (_gate)
        {
            var copy = _samplesMs.ToArray();
            Array.Sort(copy);
            return copy;
        }
    }
}
