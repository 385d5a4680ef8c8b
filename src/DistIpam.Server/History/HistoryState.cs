namespace DistIpam.Server.History;

/// <summary>A history grain's stored state. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class HistoryState
{
    [Id(0)] public HistoryLog Log { get; set; } = new();
}
