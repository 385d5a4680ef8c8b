using DistIpam.Core.Addressing;

namespace DistIpam.Core.Tests.Generators;

/// <summary>
/// A window of <see cref="PrefixGenerators.WindowSize"/> addresses of <see cref="Family"/> from
/// <see cref="Start"/>, small enough to check every address. <see cref="RangeA"/> and
/// <see cref="PrefixP"/> lie inside it; <see cref="RangeB"/> and <see cref="PrefixQ"/> too when
/// they are of the same family, else in a window of the other family.
/// </summary>
public sealed record WindowCase(
    IpFamily Family,
    UInt128 Start,
    IpRange RangeA,
    IpRange RangeB,
    IpPrefix PrefixP,
    IpPrefix PrefixQ)
{
    /// <summary>Every address of the window, in order.</summary>
    public IEnumerable<UInt128> Addresses()
    {
        for (var i = 0; i < PrefixGenerators.WindowSize; i++)
        {
            yield return Start + (UInt128)i;
        }
    }
}
