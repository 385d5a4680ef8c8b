using System.Globalization;
using DistIpam.Core.Addressing;

namespace DistIpam.Core.Tests.Generators;

/// <summary>A valid prefix and a non-zero pattern of host bits to set in its text form.</summary>
public sealed record HostBitsCase(IpPrefix Masked, UInt128 HostBits)
{
    /// <summary>"address/length" with the host bits set: not a valid CIDR.</summary>
    public string Text =>
        $"{IpAddressMath.FromUInt128(Masked.First | HostBits, Masked.Family)}/{Masked.PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
