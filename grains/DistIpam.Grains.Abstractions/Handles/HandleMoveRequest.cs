using DistIpam.Grains.Blocks;

namespace DistIpam.Grains.Handles;

/// <summary>
/// Take over every address another handle holds, without freeing them in between (the node agent
/// gives a pod the addresses of one of its reserve handles, docs/agent.md).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HandleMoveRequest
{
    /// <summary>The handle whose addresses move (the agent's reserve slot).</summary>
    [Id(0)] public required string FromHandle { get; init; }

    /// <summary>The node both handles are on.</summary>
    [Id(1)] public required string Node { get; init; }

    /// <summary>
    /// The addresses the caller expects to move (what it already gave the pod, no prefix length):
    /// the move is refused unless the source holds exactly these.
    /// </summary>
    [Id(2)] public required IReadOnlyList<string> ExpectedAddresses { get; init; }

    /// <summary>Recorded with the moved allocations.</summary>
    [Id(3)] public PodIdentity Pod { get; init; } = PodIdentity.None;
}
