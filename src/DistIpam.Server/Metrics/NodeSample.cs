namespace DistIpam.Server.Metrics;

/// <summary>One node's share of one pool at a sampling time.</summary>
/// <param name="Node">The node.</param>
/// <param name="Pool">The pool.</param>
/// <param name="Blocks">Blocks claimed for the node.</param>
/// <param name="Allocations">Addresses allocated in them.</param>
public sealed record NodeSample(string Node, string Pool, long Blocks, long Allocations);
