using System.Net;
using System.Text;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class BlockAllocatorTests
{
    [Fact]
    public void ToSnapshot_FullSlash26WithSixtyCharacterHandles_SerializesUnder8KB()
    {
        var allocator = Create("10.244.3.64/26");
        for (var i = 0; i < 62; i++)
        {
            allocator.Allocate(SixtyCharacterHandle(i), AllocationAttributes.None);
        }

        var bytes = Encoding.UTF8.GetByteCount(BlockRun.Json(allocator.ToSnapshot()));

        output.WriteLine($"full /26, 62 allocations, 60-character handles, no attributes: {bytes} bytes");
        Assert.Equal(62, allocator.Used);
        Assert.True(bytes < 8 * 1024, $"snapshot is {bytes} bytes");
    }

    [Fact]
    public void ToSnapshot_FullSlash26WithPodAttributes_SerializesUnder16KB()
    {
        var allocator = Create("10.244.3.64/26");
        for (var i = 0; i < 62; i++)
        {
            var attributes = new AllocationAttributes(
                "worker-node-17", "default", $"web-frontend-7d9f8c6b5-{i:x5}", Guid.NewGuid().ToString());
            allocator.Allocate(SixtyCharacterHandle(i), attributes);
        }

        var bytes = Encoding.UTF8.GetByteCount(BlockRun.Json(allocator.ToSnapshot()));

        output.WriteLine($"full /26, 62 allocations, 60-character handles, node + pod namespace/name/uid: {bytes} bytes");
        Assert.True(bytes < 16 * 1024, $"snapshot is {bytes} bytes");
    }

    [Fact]
    public void FromSnapshot_ValidSnapshot_RestoresAllocationsSequencesCursorAndCooldowns()
    {
        var original = CreateSample();
        var snapshot = BlockRun.JsonRoundTrip(original.ToSnapshot());

        var restored = BlockAllocator.FromSnapshot(snapshot, SampleOptions, _time);

        Assert.Equal(original.Allocations, restored.Allocations);
        Assert.Equal(BlockRun.Json(original.ToSnapshot()), BlockRun.Json(restored.ToSnapshot()));
        Assert.Equal(original.Allocate("next", AllocationAttributes.None), restored.Allocate("next", AllocationAttributes.None));
    }

    [Fact]
    public void FromRetired_AddressReleasedJustBeforeRetiring_IsStillCoolingForTheNextOwner()
    {
        // A /29 has six usable addresses: take them all, release .3, retire the (now empty) block.
        var first = Create("10.0.0.0/29");
        var records = Enumerable.Range(0, 6).Select(i => first.Allocate($"h{i}", s_none)).ToList();
        foreach (var record in records.Where(r => r.Address.ToString() != "10.0.0.3"))
        {
            first.Release(record.Address, record.Sequence);
        }

        _time.Advance(TimeSpan.FromSeconds(31));
        var three = records.Single(r => r.Address.ToString() == "10.0.0.3");
        first.Release(three.Address, three.Sequence);
        var retired = first.ToSnapshot();

        var next = BlockAllocator.FromRetired(retired, new BlockAllocatorOptions(), _time);

        // The other five were released 31 s ago and have cooled down; .3 has not: it comes last.
        var handedOut = Enumerable.Range(0, 6).Select(i => next.Allocate($"n{i}", s_none).Address.ToString()).ToList();
        Assert.Equal("10.0.0.3", handedOut[^1]);
        Assert.True(next.Allocations.All(a => a.Sequence > three.Sequence), "sequences continue across the retirement");
    }

    [Fact]
    public void FromRetired_CooldownOnAnAddressTheNewOptionsReserve_IsDroppedNotCorrupt()
    {
        var first = Create("10.0.0.0/29");
        var record = first.Allocate("h", s_none);
        first.Release(record.Address, record.Sequence);
        var reserved = new BlockAllocatorOptions { Reserved = [IpRange.Parse(record.Address.ToString())] };

        var next = BlockAllocator.FromRetired(first.ToSnapshot(), reserved, _time);

        Assert.Empty(next.ToSnapshot().Cooldowns);
        Assert.Equal(5, next.Capacity);
    }

    [Fact]
    public void FromRetired_SnapshotWithAllocations_ThrowsNamingTheBlock()
    {
        var first = Create("10.0.0.0/29");
        first.Allocate("h", s_none);

        var error = Assert.Throws<ArgumentException>(() => BlockAllocator.FromRetired(first.ToSnapshot(), new BlockAllocatorOptions(), _time));

        Assert.Contains("10.0.0.0/29", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToSnapshot_CooldownOver_DropsTheCooldownEntry()
    {
        var allocator = CreateSample();
        Assert.Single(allocator.ToSnapshot().Cooldowns);

        _time.Advance(BlockAllocatorOptions.DefaultReleaseCooldown);

        Assert.Empty(allocator.ToSnapshot().Cooldowns);
    }

    [Theory]
    [InlineData("bad-block", "is not a CIDR")]
    [InlineData("too-large-block", "at most 4096 addresses")]
    [InlineData("missing-list", "list is missing")]
    [InlineData("offset-outside", "offset 16 is outside the block")]
    [InlineData("negative-offset", "offset -1 is outside the block")]
    [InlineData("on-network", "not allocatable: network address")]
    [InlineData("on-broadcast", "not allocatable: broadcast address")]
    [InlineData("on-gateway", "not allocatable: gateway")]
    [InlineData("on-reserved", "not allocatable: reserved")]
    [InlineData("duplicate-offset", "is allocated twice")]
    [InlineData("duplicate-handle", "holds two addresses")]
    [InlineData("duplicate-sequence", "repeated")]
    [InlineData("sequence-not-below-next", "not below the next sequence")]
    [InlineData("empty-handle", "has no handle id")]
    [InlineData("cursor-outside", "cursor 16 is outside the block")]
    [InlineData("cooldown-on-allocated", "cooling down but also allocated")]
    [InlineData("time-out-of-range", "out of range")]
    public void FromSnapshot_CorruptSnapshot_ThrowsInvalidDataNamingTheProblem(string corruption, string expected)
    {
        var good = CreateSample().ToSnapshot();
        var first = good.Allocations[0];
        var snapshot = corruption switch
        {
            "bad-block" => good with { Block = "10.0.0.0/33" },
            "too-large-block" => good with { Block = "10.0.0.0/16" },
            "missing-list" => good with { Allocations = null! },
            "offset-outside" => good with { Allocations = [first with { Offset = 16 }] },
            "negative-offset" => good with { Allocations = [first with { Offset = -1 }] },
            "on-network" => good with { Allocations = [first with { Offset = 0 }] },
            "on-broadcast" => good with { Allocations = [first with { Offset = 15 }] },
            "on-gateway" => good with { Allocations = [first with { Offset = 1 }] },
            "on-reserved" => good with { Allocations = [first with { Offset = 10 }] },
            "duplicate-offset" => good with { Allocations = [first, first with { HandleId = "other", Sequence = 2 }] },
            "duplicate-handle" => good with { Allocations = [first, first with { Offset = 7, Sequence = 2 }] },
            "duplicate-sequence" => good with { Allocations = [first, first with { Offset = 7, HandleId = "other" }] },
            "sequence-not-below-next" => good with { Allocations = [first with { Sequence = good.NextSequence }] },
            "empty-handle" => good with { Allocations = [first with { HandleId = "" }] },
            "cursor-outside" => good with { Cursor = 16 },
            "cooldown-on-allocated" => good with { Cooldowns = [new CooldownEntry(first.Offset, 0)] },
            "time-out-of-range" => good with { Allocations = [first with { AllocatedAtUnixMs = long.MaxValue }] },
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        };

        var error = Assert.Throws<InvalidDataException>(() => BlockAllocator.FromSnapshot(snapshot, SampleOptions, _time));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"block snapshot '{snapshot.Block}' is corrupt: ", error.Message, StringComparison.Ordinal);
    }

    private static BlockAllocatorOptions SampleOptions { get; } = new()
    {
        Gateway = IPAddress.Parse("10.0.0.1"),
        Reserved = [IpRange.Parse("10.0.0.10")],
    };

    // 10.0.0.0/28, gateway .1, .10 reserved; h0-h2 at .2-.4, .3 released (cooling), h3 at .5.
    private BlockAllocator CreateSample()
    {
        var allocator = new BlockAllocator(IpPrefix.Parse("10.0.0.0/28"), SampleOptions, _time);
        for (var i = 0; i < 4; i++)
        {
            allocator.Allocate($"h{i}", new AllocationAttributes(Node: "n1", PodUid: $"uid-{i}"));
        }

        allocator.ReleaseByHandle("h1");
        return allocator;
    }

    private static string SixtyCharacterHandle(int i) => $"podnet/{i:x8}{new string('c', 40)}/eth0";
}
