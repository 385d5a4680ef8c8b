namespace DistIpam.Server.Gc;

/// <summary>A node's CNI GC ledger, stored. Ids are never reused or renumbered.</summary>
[GenerateSerializer]
public sealed class CniGcLedgerState
{
    [Id(0)] public List<CniGcAbsence> Absences { get; set; } = [];
}
