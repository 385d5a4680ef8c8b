namespace DistIpam.Bench.Reporting;

/// <summary>Everything one scenario run produced: settings, tables, targets, notes and plot files.</summary>
public sealed class ScenarioReport(string scenario, bool smoke)
{
    /// <summary>The scenario name (cni, throughput, fill, scale, failover).</summary>
    public string Scenario { get; } = scenario;

    /// <summary>Whether this was a smoke run (a few operations; the numbers mean nothing).</summary>
    public bool Smoke { get; } = smoke;

    /// <summary>When the run started (UTC).</summary>
    public DateTime StartedUtc { get; } = DateTime.UtcNow;

    /// <summary>The machine, with the load average at the start.</summary>
    public MachineInfo Machine { get; } = MachineInfo.Current();

    /// <summary>The load average at the end of the run.</summary>
    public string LoadAverageAtEnd { get; set; } = "";

    /// <summary>How long the run took.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>The settings used (sizes, durations, concurrency).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    /// <summary>The result tables.</summary>
    public List<ReportTable> Tables { get; } = [];

    /// <summary>The targets of the issue with the measured values.</summary>
    public List<TargetResult> Targets { get; } = [];

    /// <summary>Free-text observations (errors seen, what limited a run).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>PNG files written.</summary>
    public List<string> Plots { get; } = [];

    /// <summary>Adds a table and returns it.</summary>
    public ReportTable AddTable(string title, params string[] columns)
    {
        var table = new ReportTable(title, columns);
        Tables.Add(table);
        return table;
    }
}
