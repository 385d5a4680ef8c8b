using DistIpam.Core.Addressing;

namespace DistIpam.Core.Tests.Generators;

/// <summary>An IPv6 prefix with more than 64 host bits and an offset of at least 2^64 inside it.</summary>
public sealed record WideOffsetCase(IpPrefix Prefix, UInt128 Offset);
