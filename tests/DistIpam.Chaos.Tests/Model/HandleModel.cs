using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Schedules;

namespace DistIpam.Chaos.Tests.Model;

/// <summary>The mutable model of one handle; only <see cref="AllocationModel"/> changes it, under its lock.</summary>
internal sealed class HandleModel(string key, Handle handle, string node)
{
    private readonly List<string> _history = [];
    private readonly HashSet<FamilyChoice> _familiesSinceEmpty = [];

    /// <summary>The handle key, network/containerId/ifname.</summary>
    public string Key { get; } = key;

    /// <summary>The handle as the API takes it.</summary>
    public Handle Handle { get; } = handle;

    /// <summary>The node it belongs to.</summary>
    public string Node { get; } = node;

    /// <summary>What acknowledged operations say.</summary>
    public HandleStatus Status { get; set; } = HandleStatus.Untouched;

    /// <summary>Acknowledged addresses while <see cref="Status"/> is Held.</summary>
    public IReadOnlyList<string> Addresses { get; set; } = [];

    /// <summary>A release of it was sent and has not been answered yet.</summary>
    public bool ReleaseInFlight { get; set; }

    /// <summary>The last Allocate request sent (a retry sends it again).</summary>
    public AllocateRequest? LastRequest { get; set; }

    /// <summary>The families of <see cref="LastRequest"/>.</summary>
    public FamilyChoice LastFamilies { get; set; }

    /// <summary>Notes an Allocate attempt with <paramref name="families"/>.</summary>
    public void Attempted(FamilyChoice families) => _familiesSinceEmpty.Add(families);

    /// <summary>Notes that the handle is known empty (an acknowledged release).</summary>
    public void KnownEmpty() => _familiesSinceEmpty.Clear();

    /// <summary>Appends to the evidence trail.</summary>
    public void Note(string what) => _history.Add(what);

    /// <summary>An immutable copy.</summary>
    public HandleSnapshot Snapshot() => new(
        Key, Node, Status, [.. Addresses],
        _familiesSinceEmpty.Count == 1 && _familiesSinceEmpty.Contains(FamilyChoice.DualStack),
        [.. _history]);
}
