using DistIpam.Core.Addressing;

namespace DistIpam.Core.Tests.Generators;

/// <summary>A pool and the block prefix length to carve it into (at most 256 blocks).</summary>
public sealed record CarveCase(IpPrefix Pool, int BlockPrefixLength);
