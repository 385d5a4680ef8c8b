namespace DistIpam.Server.Gc;

/// <summary>What one pass saw and did.</summary>
public sealed class GcPassResult
{
    /// <summary>The candidates to track into the next pass.</summary>
    public required IReadOnlyDictionary<string, GcCandidateState> Candidates { get; init; }

    /// <summary>Ids of the candidates settled: acted on, or spared by the re-check (no longer tracked).</summary>
    public HashSet<string> Settled { get; } = new(StringComparer.Ordinal);

    public long HandlesReleased { get; set; }

    public long AddressesReleased { get; set; }

    public long NodesDrained { get; set; }

    public long ServiceValuesReleased { get; set; }

    public long Spared { get; set; }

    public int UnrecordedAddresses { get; init; }

    public List<string> Errors { get; } = [];
}
