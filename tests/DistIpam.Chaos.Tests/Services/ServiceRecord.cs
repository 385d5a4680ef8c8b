using DistIpam.Chaos.Tests.Model;

namespace DistIpam.Chaos.Tests.Services;

/// <summary>The model of one service: what its acknowledged create/update/delete say.</summary>
internal sealed class ServiceRecord(string ns, string name, bool nodePort)
{
    private readonly Lock _gate = new();
    private readonly List<string> _history = [];

    /// <summary>The namespace.</summary>
    public string Namespace { get; } = ns;

    /// <summary>The name.</summary>
    public string Name { get; } = name;

    /// <summary>namespace/name.</summary>
    public string Key => $"{Namespace}/{Name}";

    /// <summary>A NODE_PORT service (else CLUSTER_IP).</summary>
    public bool NodePort { get; } = nodePort;

    /// <summary>Held = created and not deleted since; Released = deleted; Unknown = an unknown outcome since.</summary>
    public HandleStatus Status { get; set; } = HandleStatus.Untouched;

    /// <summary>The acknowledged ClusterIPs while present.</summary>
    public IReadOnlyList<string> ClusterIps { get; set; } = [];

    /// <summary>The acknowledged NodePorts while present.</summary>
    public IReadOnlyList<int> NodePorts { get; set; } = [];

    /// <summary>A delete was sent and not answered yet.</summary>
    public bool DeleteInFlight { get; set; }

    /// <summary>The port the next update asks for (toggles, so an update changes something).</summary>
    public int Port { get; set; } = 80;

    /// <summary>The evidence trail.</summary>
    public IReadOnlyList<string> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Appends to the evidence trail.</summary>
    public void Note(string what)
    {
        lock (_gate)
        {
            _history.Add(what);
        }
    }
}
