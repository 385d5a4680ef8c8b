using DistIpam.Core.Addressing;

namespace DistIpam.Core.Tests.Generators;

/// <summary>A prefix, a block prefix length inside it, and the offset of one of its addresses.</summary>
public sealed record AddressCase(IpPrefix Prefix, int BlockPrefixLength, UInt128 Offset)
{
    /// <summary>The address at <see cref="Offset"/> as an integer.</summary>
    public UInt128 Value => Prefix.First + Offset;
}
