using DistIpam.Core.Addressing;
using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Core.Tests.Generators;

/// <summary>
/// FsCheck generators for prefixes, ranges and addresses. Uniform random values almost never hit
/// the cases that break address math, so every generator is weighted towards the edges: both
/// families, /0 and /31, /32, /127, /128, block prefixes /20-/32 and /116-/128, the first and
/// last address of the space and of a prefix, and IPv6 offsets past 2^64.
/// Use with <c>[Property(Arbitrary = new[] { typeof(PrefixGenerators) })]</c>.
/// </summary>
public static class PrefixGenerators
{
    /// <summary>The side of the small address windows in which brute force is affordable.</summary>
    public const int WindowSize = 64;

    private static readonly Gen<IpFamily> Families = Gen.Elements(IpFamily.V4, IpFamily.V6);

    /// <summary>Any valid prefix of either family.</summary>
    public static Arbitrary<IpPrefix> Prefixes() => Arb.From(Families.SelectMany(PrefixOf));

    /// <summary>Any valid range of either family, single addresses included.</summary>
    public static Arbitrary<IpRange> Ranges() => Arb.From(Families.SelectMany(RangeOf));

    /// <summary>A pool and a Calico-sized block length within 8 bits of it (at most 256 blocks).</summary>
    public static Arbitrary<CarveCase> CarveCases() => Arb.From(
        from family in Families
        let bits = IpAddressMath.BitsOf(family)
        from block in family == IpFamily.V4 ? Gen.Choose(20, 32) : Gen.Choose(116, 128)
        from length in Gen.Frequency(
            (4, Gen.Choose(block - 8, block)),
            (1, Gen.Elements(block - 8, block)))
        from first in EdgyAddress(bits)
        select new CarveCase(Aligned(first, length, family), block));

    /// <summary>A prefix, a block length inside it and an offset, biased to the first and last address.</summary>
    public static Arbitrary<AddressCase> AddressCases() => Arb.From(
        from prefix in Families.SelectMany(PrefixOf)
        from block in Gen.Frequency(
            (4, Gen.Choose(prefix.PrefixLength, prefix.AddressBits)),
            (1, Gen.Elements(prefix.PrefixLength, prefix.AddressBits)),
            (2, Gen.Choose(Math.Max(prefix.PrefixLength, prefix.AddressBits - 12), prefix.AddressBits)))
        from offset in EdgyOffset(prefix)
        select new AddressCase(prefix, block, offset));

    /// <summary>An IPv6 prefix with more than 64 host bits and an offset of at least 2^64.</summary>
    public static Arbitrary<WideOffsetCase> WideOffsetCases() => Arb.From(
        from length in Gen.Frequency((3, Gen.Choose(0, 63)), (1, Gen.Elements(0, 63)))
        from first in EdgyAddress(128)
        let prefix = Aligned(first, length, IpFamily.V6)
        from low in EdgyOffset(prefix)
        select new WideOffsetCase(prefix, low | (UInt128.One << 64)));

    /// <summary>A valid prefix shorter than a host route and a non-zero pattern of its host bits.</summary>
    public static Arbitrary<HostBitsCase> HostBitsCases() => Arb.From(
        from family in Families
        let bits = IpAddressMath.BitsOf(family)
        from length in Gen.Frequency(
            (4, Gen.Choose(0, bits - 1)),
            (1, Gen.Elements(0, bits - 2, bits - 1)))
        from first in EdgyAddress(bits)
        let prefix = Aligned(first, length, family)
        from hostBits in Gen.Frequency(
            (1, Gen.Constant(UInt128.One)),
            (1, Gen.Constant(prefix.Last - prefix.First)),
            (4, RandomBits(bits).Select(r => r & (prefix.Last - prefix.First))))
        where hostBits != UInt128.Zero
        select new HostBitsCase(prefix, hostBits));

    /// <summary>
    /// Two ranges and two prefixes inside one window of <see cref="WindowSize"/> addresses (at the
    /// bottom, the top or anywhere in the space); sometimes the second pair is of the other family.
    /// </summary>
    public static Arbitrary<WindowCase> WindowCases() => Arb.From(
        from family in Families
        from start in WindowStart(family)
        from sameFamily in Gen.Frequency((9, Gen.Constant(true)), (1, Gen.Constant(false)))
        let otherFamily = sameFamily ? family : Other(family)
        from otherStart in sameFamily ? Gen.Constant(start) : WindowStart(otherFamily)
        from a in WindowRange(family, start)
        from b in WindowRange(otherFamily, otherStart)
        from p in WindowPrefix(family, start)
        from q in WindowPrefix(otherFamily, otherStart)
        select new WindowCase(family, start, a, b, p, q));

    /// <summary>A random valid prefix of <paramref name="family"/>, biased to the shortest and longest lengths.</summary>
    public static Gen<IpPrefix> PrefixOf(IpFamily family)
    {
        var bits = IpAddressMath.BitsOf(family);
        var lengths = Gen.Frequency(
            (4, Gen.Choose(0, bits)),
            (2, Gen.Elements(bits - 2, bits - 1, bits)),
            (1, Gen.Elements(0, 1, 8)),
            (2, Gen.Choose(bits - 12, bits)));
        return from length in lengths
               from first in EdgyAddress(bits)
               select Aligned(first, length, family);
    }

    /// <summary>A random valid range of <paramref name="family"/>: one address, a short or a long span.</summary>
    public static Gen<IpRange> RangeOf(IpFamily family)
    {
        var bits = IpAddressMath.BitsOf(family);
        var max = MaxAddress(bits);
        return from a in EdgyAddress(bits)
               from b in Gen.Frequency(
                   (2, Gen.Constant(a)),
                   (3, Gen.Choose(0, 300).Select(d => max - a < (UInt128)d ? max : a + (UInt128)d)),
                   (3, EdgyAddress(bits)))
               select IpRange.Create(
                   IpAddressMath.FromUInt128(a < b ? a : b, family),
                   IpAddressMath.FromUInt128(a < b ? b : a, family));
    }

    /// <summary>The largest address of a <paramref name="bits"/>-bit family.</summary>
    public static UInt128 MaxAddress(int bits) => bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1;

    private static IpFamily Other(IpFamily family) => family == IpFamily.V4 ? IpFamily.V6 : IpFamily.V4;

    private static IpPrefix Aligned(UInt128 address, int length, IpFamily family)
    {
        var bits = IpAddressMath.BitsOf(family);
        return IpPrefix.FromFirst(address & IpAddressMath.NetworkMask(length, bits), length, family);
    }

    // Uniform bits over the whole family, built from 16-bit pieces so no sign or range quirk of
    // Gen.Choose can bias the high bits.
    private static Gen<UInt128> RandomBits(int bits) =>
        Gen.ArrayOf(Gen.Choose(0, 0xFFFF), 8).Select(pieces =>
        {
            var value = UInt128.Zero;
            foreach (var piece in pieces)
            {
                value = (value << 16) | (uint)piece;
            }

            return value & MaxAddress(bits);
        });

    private static Gen<UInt128> EdgyAddress(int bits)
    {
        var max = MaxAddress(bits);
        return Gen.Frequency(
            (1, Gen.Constant(UInt128.Zero)),
            (1, Gen.Constant(max)),
            (1, Gen.Constant(max - 1)),
            (1, Gen.Constant(max >> 1)),
            (8, RandomBits(bits)));
    }

    // An offset inside the prefix: the first, second, last or second-to-last address, or any.
    private static Gen<UInt128> EdgyOffset(IpPrefix prefix)
    {
        var last = prefix.Last - prefix.First;
        return Gen.Frequency(
            (1, Gen.Constant(UInt128.Zero)),
            (1, Gen.Constant(last)),
            (1, Gen.Constant(last == 0 ? last : last - 1)),
            (1, Gen.Constant(last == 0 ? last : UInt128.One)),
            (6, RandomBits(prefix.AddressBits).Select(r => r & last)));
    }

    private static Gen<UInt128> WindowStart(IpFamily family)
    {
        var bits = IpAddressMath.BitsOf(family);
        var top = MaxAddress(bits) - (WindowSize - 1);
        return Gen.Frequency(
            (1, Gen.Constant(UInt128.Zero)),
            (1, Gen.Constant(top)),
            (4, RandomBits(bits).Select(r => r & ~(UInt128)(WindowSize - 1))));
    }

    private static Gen<IpRange> WindowRange(IpFamily family, UInt128 start) =>
        from a in Gen.Choose(0, WindowSize - 1)
        from b in Gen.Frequency((1, Gen.Constant(a)), (4, Gen.Choose(a, WindowSize - 1)))
        select IpRange.Create(
            IpAddressMath.FromUInt128(start + (UInt128)a, family),
            IpAddressMath.FromUInt128(start + (UInt128)b, family));

    // Window starts are aligned to the window size, so any prefix aligned inside it stays inside.
    private static Gen<IpPrefix> WindowPrefix(IpFamily family, UInt128 start) =>
        from hostBits in Gen.Choose(0, 6)
        from index in Gen.Choose(0, (WindowSize >> hostBits) - 1)
        select IpPrefix.FromFirst(
            start + ((UInt128)index << hostBits),
            IpAddressMath.BitsOf(family) - hostBits,
            family);
}
