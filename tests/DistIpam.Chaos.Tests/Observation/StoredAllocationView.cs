namespace DistIpam.Chaos.Tests.Observation;

/// <summary>One allocation as a block's stored state in Redis records it.</summary>
/// <param name="Pool">The block's pool.</param>
/// <param name="Block">The block CIDR.</param>
/// <param name="Address">The address (block base plus offset).</param>
/// <param name="HandleId">The holding handle key.</param>
/// <param name="Sequence">The allocation's sequence number.</param>
/// <param name="Node">The node the pod is on, as recorded.</param>
internal sealed record StoredAllocationView(string Pool, string Block, string Address, string HandleId, ulong Sequence, string? Node)
{
    /// <inheritdoc />
    public override string ToString() => $"{Address} in {Pool}|{Block} for {HandleId} seq {Sequence}";
}
