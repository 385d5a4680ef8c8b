using DistIpam.Bench.Measuring;

namespace DistIpam.Bench.Scenarios;

/// <summary>One case of the cni scenario (family mix and caller count) with its four recorders.</summary>
public sealed class CniCase(string family, int callers)
{
    /// <summary>"dual-stack" or "IPv4".</summary>
    public string Family { get; } = family;

    /// <summary>Concurrent callers.</summary>
    public int Callers { get; } = callers;

    /// <summary>A short name, e.g. "dual-stack x4".</summary>
    public string Name => $"{Family} x{Callers}";

    /// <summary>distipam ADD latencies.</summary>
    public LatencyRecorder OursAdd { get; } = new();

    /// <summary>distipam DEL latencies.</summary>
    public LatencyRecorder OursDel { get; } = new();

    /// <summary>distipam through the node agent (warm reserve), ADD latencies.</summary>
    public LatencyRecorder AgentAdd { get; } = new();

    /// <summary>distipam through the node agent, DEL latencies.</summary>
    public LatencyRecorder AgentDel { get; } = new();

    /// <summary>host-local ADD latencies.</summary>
    public LatencyRecorder HostLocalAdd { get; } = new();

    /// <summary>host-local DEL latencies.</summary>
    public LatencyRecorder HostLocalDel { get; } = new();
}
