using DistIpam.Core.Errors;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>
/// Drives a ClusterIP or NodePort allocator (and optionally a restored mirror) through generated
/// operations against a naive model: holders by position, the band rule, exact error messages.
/// </summary>
internal sealed class RangeRun(IRangeUnderTest sut)
{
    private readonly Dictionary<int, string> _held = [];
    private int _upperHeld;
    private int _fresh;

    public IRangeUnderTest Sut => sut;

    /// <summary>When set, receives every operation too and must give identical outcomes.</summary>
    public IRangeUnderTest? Mirror { get; set; }

    public static string HolderName(int number) => $"default/service-{number}";

    public static void RunOperations(IRangeUnderTest sut, IEnumerable<RangeOp> ops)
    {
        var run = new RangeRun(sut);
        foreach (var op in ops)
        {
            run.Apply(op);
        }

        run.CheckAll();
    }

    public static void RunSnapshotRestore(Func<Random, IRangeUnderTest> create, int seed, IReadOnlyList<RangeOp> ops, int split)
    {
        var at = (int)((uint)split % (uint)(ops.Count + 1));
        var random = new SwitchableRandom(new Random(seed));
        var run = new RangeRun(create(random));
        foreach (var op in ops.Take(at))
        {
            run.Apply(op);
        }

        // From here on the original and the restored copy draw the very same random numbers.
        var restored = run.Sut.Restore(new Random(seed + 1));
        random.Inner = new Random(seed + 1);
        Assert.Equal(run.Sut.SnapshotJson(), restored.SnapshotJson());
        run.Mirror = restored;
        foreach (var op in ops.Skip(at).Append(new RangeFillOp()))
        {
            run.Apply(op);
        }

        Assert.Equal(run.Sut.SnapshotJson(), restored.SnapshotJson());
        run.CheckAll();
    }

    public static void RunFreshFill(IRangeUnderTest sut)
    {
        var run = new RangeRun(sut);
        var order = new List<int>();
        for (var position = run.Allocate("fill-0"); position >= 0; position = run.Allocate($"fill-{order.Count}"))
        {
            order.Add(position);
        }

        var upper = sut.ExpectedCapacity - sut.ExpectedStaticBandSize;
        Assert.Equal(sut.ExpectedCapacity, order.Count);
        for (var i = 0; i < order.Count; i++)
        {
            var (index, position) = (i, order[i]);
            Check((index >= upper) == sut.IsStatic(position), () => $"allocation {index} of {order.Count} took position {position}; the upper band holds {upper}");
        }
        run.CheckAll();
    }

    public void Apply(RangeOp op)
    {
        switch (op)
        {
            case RangeAllocateOp(var holder):
                Allocate(HolderName(holder));
                break;
            case RangeAllocateSpecificOp(var position, var holder):
                AllocateSpecific(position, HolderName(holder));
                break;
            case RangeReleaseOp(var position):
                var expected = sut.Reason(position) is null && _held.Remove(position, out _);
                if (expected && !sut.IsStatic(position))
                {
                    _upperHeld--;
                }

                Compare(op, expected, s => s.Release(position));
                break;
            case RangeFillOp:
                for (var i = 0; i <= sut.ExpectedCapacity && Allocate($"fill-{_fresh++}") >= 0; i++)
                {
                }

                break;
            default:
                throw new InvalidOperationException($"unknown op {op}");
        }
    }

    public void CheckAll()
    {
        Assert.Equal(sut.ExpectedCapacity, sut.Capacity);
        Assert.Equal(sut.ExpectedStaticBandSize, sut.StaticBandSize);
        Assert.Equal(_held.Count, sut.Used);
        for (var position = -1; position <= sut.Size; position++)
        {
            var expected = _held.GetValueOrDefault(position);
            var actual = sut.Holder(position);
            Check(expected == actual, () => $"position {position} ({sut.Text(position)}) is held by '{actual}', model says '{expected}'");
        }
    }

    // The model cannot know which random address is picked, only where it may lie: a free,
    // allocatable one, in the upper band while that has room. Returns -1 once exhausted.
    private int Allocate(string holder)
    {
        var op = new RangeAllocateOp(-1);
        if (_held.Count == sut.ExpectedCapacity)
        {
            Compare(op, new PoolExhaustedException(sut.Scope, (UInt128)sut.ExpectedCapacity), s => s.Allocate(holder));
            return -1;
        }

        var got = Outcome(() => sut.Allocate(holder));
        if (Mirror is { } mirror)
        {
            var mirrored = Outcome(() => mirror.Allocate(holder));
            Check(Same(got, mirrored), () => $"{holder}: original gave {Describe(got)}, restored copy gave {Describe(mirrored)}");
        }

        if (got is not int position)
        {
            Assert.Fail($"allocate {holder} failed with {Describe(got)} though {sut.ExpectedCapacity - _held.Count} are free");
            return -1;
        }

        var upperFree = sut.ExpectedCapacity - sut.ExpectedStaticBandSize - _upperHeld > 0;
        Check(sut.Reason(position) is null, () => $"allocated position {position} ({sut.Text(position)}) is the {sut.Reason(position)}");
        Check(!_held.ContainsKey(position), () => $"position {position} handed out twice");
        Check(upperFree != sut.IsStatic(position), () => $"position {position} static={sut.IsStatic(position)} while upper band free={upperFree}");
        Take(position, holder);
        return position;
    }

    private void AllocateSpecific(int position, string holder)
    {
        object expected;
        if (sut.Reason(position) is { } reason)
        {
            expected = new AddressNotAllocatableException(sut.Text(position), sut.Scope, reason);
        }
        else if (_held.TryGetValue(position, out var current))
        {
            expected = current == holder ? position : new AddressTakenException(sut.Text(position), current);
        }
        else
        {
            Take(position, holder);
            expected = position;
        }

        Compare(new RangeAllocateSpecificOp(position, -1), expected, s => s.AllocateSpecific(position, holder));
    }

    private void Take(int position, string holder)
    {
        _held.Add(position, holder);
        if (!sut.IsStatic(position))
        {
            _upperHeld++;
        }
    }

    private void Compare(RangeOp op, object expected, Func<IRangeUnderTest, object> action)
    {
        var got = Outcome(() => action(sut));
        Check(Same(expected, got), () => $"{op}: model says {Describe(expected)}, allocator gave {Describe(got)}");
        if (Mirror is { } mirror)
        {
            var mirrored = Outcome(() => action(mirror));
            Check(Same(got, mirrored), () => $"{op}: original gave {Describe(got)}, restored copy gave {Describe(mirrored)}");
        }
    }

    private static void Check(bool condition, Func<string> message)
    {
        if (!condition)
        {
            Assert.Fail(message());
        }
    }

    private static object Outcome(Func<object> action)
    {
        try
        {
            return action();
        }
        catch (IpamException e)
        {
            return e;
        }
    }

    private static bool Same(object left, object right) => (left, right) switch
    {
        (IpamException a, IpamException b) => a.GetType() == b.GetType() && a.Message == b.Message,
        _ => left.Equals(right),
    };

    private static string Describe(object outcome) =>
        outcome is IpamException e ? $"{e.GetType().Name}: {e.Message}" : outcome.ToString()!;
}
