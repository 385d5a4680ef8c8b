namespace DistIpam.Server.History;

/// <summary>What happened to an address. Values are stored: never renumbered.</summary>
public enum HistoryEventKind
{
    /// <summary>Handed to a handle.</summary>
    Allocated = 1,

    /// <summary>Freed.</summary>
    Released = 2,
}
