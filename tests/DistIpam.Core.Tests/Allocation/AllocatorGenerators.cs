using System.Net;
using System.Numerics;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;
using FsCheck;
using FsCheck.Fluent;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>A block with its options, as the block-allocator properties see it.</summary>
public sealed record BlockScenario(IpPrefix Block, IReadOnlyList<IpRange> Reserved, IPAddress? Gateway, TimeSpan Cooldown)
{
    public int Size => (int)Block.Size;

    public BlockAllocatorOptions Options => new(Reserved, Gateway, Cooldown);

    public override string ToString() =>
        $"{Block} reserved=[{string.Join(", ", Reserved)}] gateway={Gateway?.ToString() ?? "none"} cooldown={Cooldown.TotalMilliseconds}ms";
}

/// <summary>One step of a generated block-allocator run.</summary>
public abstract record BlockOp;

/// <summary>Allocate(handle h{Handle}).</summary>
public sealed record AllocateOp(int Handle, int Attributes) : BlockOp;

/// <summary>AllocateSpecific(block offset, handle); offset -1 or Size means an address outside the block.</summary>
public sealed record AllocateSpecificOp(int Offset, int Handle) : BlockOp;

/// <summary>ReleaseByHandle(h{Handle}).</summary>
public sealed record ReleaseHandleOp(int Handle) : BlockOp;

/// <summary>Release(address at Offset, a sequence picked from that offset's history: current, stale or never issued).</summary>
public sealed record ReleaseAddressOp(int Offset, int SequencePick) : BlockOp;

/// <summary>Advance the fake clock.</summary>
public sealed record AdvanceTimeOp(long Milliseconds) : BlockOp;

/// <summary>Allocate with fresh handles until the block is exhausted.</summary>
public sealed record FillOp : BlockOp;

/// <summary>A block scenario and the operations run against it.</summary>
public sealed record BlockCase(BlockScenario Scenario, IReadOnlyList<BlockOp> Ops)
{
    public override string ToString() => $"{Scenario}; ops: {string.Join(", ", Ops)}";
}

/// <summary>One step of a generated ClusterIP or NodePort run, on slot-relative positions.</summary>
public abstract record RangeOp;

/// <summary>Allocate(holder s{Holder}).</summary>
public sealed record RangeAllocateOp(int Holder) : RangeOp;

/// <summary>AllocateSpecific(position, holder); position -1 or past the end is outside the range.</summary>
public sealed record RangeAllocateSpecificOp(int Position, int Holder) : RangeOp;

/// <summary>Release(position).</summary>
public sealed record RangeReleaseOp(int Position) : RangeOp;

/// <summary>Allocate until exhausted.</summary>
public sealed record RangeFillOp : RangeOp;

/// <summary>A service CIDR, a random seed and the operations run against it.</summary>
public sealed record ServiceRangeCase(IpPrefix Range, int Seed, IReadOnlyList<RangeOp> Ops)
{
    public override string ToString() => $"{Range} seed={Seed}; ops: {string.Join(", ", Ops)}";
}

/// <summary>A port range, a random seed and the operations run against it.</summary>
public sealed record PortRangeCase(int First, int Last, int Seed, IReadOnlyList<RangeOp> Ops)
{
    public override string ToString() => $"{First}-{Last} seed={Seed}; ops: {string.Join(", ", Ops)}";
}

/// <summary>Bits to load into a bitmap and a window [From, To) to search.</summary>
public sealed record BitmapCase(IReadOnlyList<bool> Bits, int From, int To)
{
    public override string ToString() =>
        $"[{string.Concat(Bits.Select(b => b ? '1' : '0'))}] ({Bits.Count} bits) window [{From}, {To})";
}

/// <summary>
/// FsCheck arbitraries for the allocators. They lean on the edges: /31 /32 /127 /128 and /20
/// /116 blocks, blocks at the very start and end of the address space, reserved ranges over the
/// first and last address and reaching past the block, a gateway, full blocks, the last address.
/// </summary>
public static class AllocatorArbitraries
{
    public static Arbitrary<BlockScenario> BlockScenario() => ScenarioGen.ToArbitrary();

    public static Arbitrary<BlockCase> BlockCase() => Arb.From(
        from scenario in ScenarioGen
        from ops in OpsGen(scenario)
        select new BlockCase(scenario, ops),
        ShrinkCase);

    public static Arbitrary<ServiceRangeCase> ServiceRangeCase() =>
        (from range in ServiceRangeGen
         from seed in Gen.Choose(0, int.MaxValue)
         from ops in RangeOpsGen((int)range.Size)
         select new ServiceRangeCase(range, seed, ops)).ToArbitrary();

    public static Arbitrary<PortRangeCase> PortRangeCase() =>
        (from first in Gen.Frequency((1, Gen.Constant(1)), (6, Gen.Choose(1, 65000)), (1, Gen.Constant(65535)))
         from size in Gen.Frequency((20, Gen.Choose(1, 40)), (15, Gen.Choose(41, 300)), (1, Gen.Choose(301, 1000)), (1, Gen.Constant(2768)))
         from seed in Gen.Choose(0, int.MaxValue)
         let last = Math.Min(65535, first + size - 1)
         from ops in RangeOpsGen(last - first + 1)
         select new PortRangeCase(first, last, seed, ops)).ToArbitrary();

    public static Arbitrary<BitmapCase> BitmapCase() =>
        (from length in Gen.Frequency((3, Gen.Choose(0, 70)), (2, Gen.Choose(0, 300)), (2, Gen.Elements(63, 64, 65, 127, 128, 129)))
         from density in Gen.Elements(0, 1, 5, 9, 10)
         from bits in Gen.ArrayOf(Gen.Choose(0, 9).Select(x => x < density), length)
         from start in Gen.Choose(0, length)
         from end in Gen.Frequency((1, Gen.Constant(length)), (2, Gen.Choose(start, length)))
         select new BitmapCase(bits, start, end)).ToArbitrary();

    private static Gen<int> LengthGen(IpFamily family) => family == IpFamily.V4
        ? Gen.Frequency((1, Gen.Constant(20)), (1, Gen.Choose(21, 23)), (40, Gen.Choose(24, 29)), (25, Gen.Choose(30, 32)))
        : Gen.Frequency((1, Gen.Constant(116)), (1, Gen.Choose(117, 119)), (40, Gen.Choose(120, 125)), (25, Gen.Choose(126, 128)));

    private static Gen<UInt128> BaseGen(IpFamily family) => family == IpFamily.V4
        ? Gen.Frequency(
            (8, Gen.Choose(0, 0xFFFFFF).Select(r => (UInt128)(0x0A000000u | (uint)r))),
            (1, Gen.Constant(UInt128.Zero)),
            (1, Gen.Constant((UInt128)uint.MaxValue)))
        : Gen.Frequency(
            (8, Gen.Choose(0, int.MaxValue).Select(r => ((UInt128)0xfd00 << 112) | (uint)r)),
            (1, Gen.Constant(UInt128.Zero)),
            (1, Gen.Constant(UInt128.MaxValue)));

    private static readonly Gen<IpPrefix> BlockGen =
        from family in Gen.Elements(IpFamily.V4, IpFamily.V6)
        from length in LengthGen(family)
        from value in BaseGen(family)
        select IpPrefix.FromFirst(value & IpAddressMath.NetworkMask(length, IpAddressMath.BitsOf(family)), length, family);

    private static Gen<IpRange?> ReservedRangeGen(IpPrefix block)
    {
        var size = (int)block.Size;
        var other = IpRange.Parse(block.Family == IpFamily.V4 ? "fd00::/120" : "10.0.0.0/24");
        var spans = Gen.Frequency(
            (2, Gen.Constant((0, 1))),
            (2, Gen.Constant((size - 1, 1))),
            (1, Gen.Constant((-2, 3))),
            (1, Gen.Constant((size - 2, 5))),
            (1, Gen.Constant((-size, 3 * size))),
            (4, from start in Gen.Choose(0, size - 1) from length in Gen.Choose(1, Math.Max(1, size / 4)) select (start, length)));
        return Gen.Frequency(
            (9, spans.Select(span => Clip(block, span.Item1, span.Item2))),
            (1, Gen.Constant<IpRange?>(other)));
    }

    // An absolute range from block-relative offsets, clipped to the address space (null if empty).
    private static IpRange? Clip(IpPrefix block, long start, long length)
    {
        var max = block.Family == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;
        var first = BigInteger.Max((BigInteger)block.First + start, BigInteger.Zero);
        var last = BigInteger.Min((BigInteger)block.First + start + length - 1, (BigInteger)max);
        return last < first
            ? null
            : IpRange.Create(
                IpAddressMath.FromUInt128((UInt128)first, block.Family),
                IpAddressMath.FromUInt128((UInt128)last, block.Family));
    }

    private static Gen<IPAddress?> GatewayGen(IpPrefix block)
    {
        var size = (int)block.Size;
        return Gen.Frequency(
            (4, Gen.Constant<IPAddress?>(null)),
            (3, Gen.Constant<IPAddress?>(AddressFor(block, Math.Min(1, size - 1)))),
            (2, Gen.Choose(0, size - 1).Select(o => (IPAddress?)AddressFor(block, o))),
            (1, Gen.Constant<IPAddress?>(AddressFor(block, size - 1))),
            (1, Gen.Constant<IPAddress?>(AddressFor(block, size))));
    }

    private static readonly Gen<TimeSpan> CooldownGen = Gen.Frequency(
        (2, Gen.Constant(TimeSpan.Zero)),
        (1, Gen.Constant(TimeSpan.FromMilliseconds(1))),
        (3, Gen.Constant(TimeSpan.FromSeconds(30))),
        (3, Gen.Choose(2, 60_000).Select(ms => TimeSpan.FromMilliseconds(ms))));

    private static readonly Gen<BlockScenario> ScenarioGen =
        from block in BlockGen
        from count in Gen.Frequency((3, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)))
        from reserved in Gen.ArrayOf(ReservedRangeGen(block), count)
        from gateway in GatewayGen(block)
        from cooldown in CooldownGen
        select new BlockScenario(block, [.. reserved.OfType<IpRange>()], gateway, cooldown);

    private static Gen<BlockOp[]> OpsGen(BlockScenario scenario)
    {
        var size = scenario.Size;
        var cooldownMs = (long)scenario.Cooldown.TotalMilliseconds;
        var offset = Gen.Frequency(
            (6, Gen.Choose(0, size - 1)),
            (1, Gen.Constant(0)),
            (1, Gen.Constant(size - 1)),
            (1, Gen.Elements(-1, size)));
        var handle = Gen.Choose(0, 9);
        var advance = Gen.Frequency(
            (3, Gen.Choose(0, 2_000).Select(ms => (long)ms)),
            (2, Gen.Choose(0, 70_000).Select(ms => (long)ms)),
            (1, Gen.Elements(Math.Max(0, cooldownMs - 1), cooldownMs, cooldownMs + 1)));
        var op = Gen.Frequency(
            (10, from h in handle from a in Gen.Choose(0, 2) select (BlockOp)new AllocateOp(h, a)),
            (4, from o in offset from h in handle select (BlockOp)new AllocateSpecificOp(o, h)),
            (5, handle.Select(h => (BlockOp)new ReleaseHandleOp(h))),
            (4, from o in offset from p in Gen.Choose(0, 3) select (BlockOp)new ReleaseAddressOp(o, p)),
            (4, advance.Select(ms => (BlockOp)new AdvanceTimeOp(ms))),
            (1, Gen.Constant((BlockOp)new FillOp())));
        return Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(op, n));
    }

    private static Gen<RangeOp[]> RangeOpsGen(int size)
    {
        var position = Gen.Frequency(
            (6, Gen.Choose(0, size - 1)),
            (1, Gen.Choose(0, Math.Min(size, 20) - 1)),
            (1, Gen.Constant(size - 1)),
            (1, Gen.Elements(-1, size)));
        var holder = Gen.Choose(0, 6);
        var op = Gen.Frequency(
            (10, holder.Select(h => (RangeOp)new RangeAllocateOp(h))),
            (4, from p in position from h in holder select (RangeOp)new RangeAllocateSpecificOp(p, h)),
            (5, position.Select(p => (RangeOp)new RangeReleaseOp(p))),
            (1, Gen.Constant((RangeOp)new RangeFillOp())));
        return Gen.Choose(0, 50).SelectMany(n => Gen.ArrayOf(op, n));
    }

    private static readonly Gen<IpPrefix> ServiceRangeGen =
        from family in Gen.Elements(IpFamily.V4, IpFamily.V6)
        from length in family == IpFamily.V4
            ? Gen.Frequency((1, Gen.Constant(20)), (1, Gen.Choose(21, 23)), (40, Gen.Choose(24, 28)), (25, Gen.Choose(29, 32)))
            : Gen.Frequency((1, Gen.Constant(116)), (1, Gen.Choose(117, 119)), (40, Gen.Choose(120, 124)), (25, Gen.Choose(125, 128)))
        from value in BaseGen(family)
        select IpPrefix.FromFirst(value & IpAddressMath.NetworkMask(length, IpAddressMath.BitsOf(family)), length, family);

    private static IEnumerable<BlockCase> ShrinkCase(BlockCase c)
    {
        for (var i = 0; i < c.Ops.Count; i++)
        {
            yield return c with { Ops = [.. c.Ops.Take(i), .. c.Ops.Skip(i + 1)] };
        }
    }

    /// <summary>
    /// The address at block-relative <paramref name="offset"/>; -1 and Size give an address just
    /// outside the block, or one of the other family when the block touches the end of the space.
    /// </summary>
    public static IPAddress AddressFor(IpPrefix block, long offset)
    {
        var max = block.Family == IpFamily.V4 ? uint.MaxValue : UInt128.MaxValue;
        var otherFamily = IPAddress.Parse(block.Family == IpFamily.V4 ? "fd00::1" : "10.0.0.1");
        if (offset < 0)
        {
            return block.First == 0 ? otherFamily : IpAddressMath.FromUInt128(block.First - 1, block.Family);
        }

        if ((UInt128)offset >= block.Size)
        {
            return block.Last == max ? otherFamily : IpAddressMath.FromUInt128(block.Last + 1, block.Family);
        }

        return block.AddressAt((UInt128)offset);
    }
}
