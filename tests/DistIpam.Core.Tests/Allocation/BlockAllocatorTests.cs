using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class BlockAllocatorTests(ITestOutputHelper output)
{
    private static readonly AllocationAttributes s_none = AllocationAttributes.None;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("10.0.0.0/19")]
    [InlineData("fd00::/115")]
    public void Constructor_BlockLargerThan4096Addresses_ThrowsInvalidCidr(string block)
    {
        var error = Assert.Throws<InvalidCidrException>(() => Create(block));

        Assert.Equal(block, error.Text);
        Assert.Contains("at most 4096 addresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NegativeCooldown_ThrowsArgumentOutOfRange()
    {
        var options = new BlockAllocatorOptions { ReleaseCooldown = TimeSpan.FromSeconds(-1) };

        Assert.Throws<ArgumentOutOfRangeException>(() => new BlockAllocator(IpPrefix.Parse("10.0.0.0/24"), options, _time));
    }

    [Theory]
    [InlineData("10.0.0.0/24", 254)]
    [InlineData("10.0.0.0/20", 4094)]
    [InlineData("10.0.0.0/30", 2)]
    [InlineData("10.0.0.0/31", 0)]
    [InlineData("10.0.0.0/32", 0)]
    [InlineData("fd00::/122", 63)]
    [InlineData("fd00::/116", 4095)]
    [InlineData("fd00::/127", 1)]
    [InlineData("fd00::/128", 0)]
    public void Capacity_NoOptions_ExcludesNetworkAndIPv4Broadcast(string block, int capacity)
    {
        var allocator = Create(block);

        Assert.Equal(capacity, allocator.Capacity);
        Assert.Equal(capacity, allocator.Free);
        Assert.True(allocator.IsEmpty);
    }

    [Fact]
    public void Capacity_ReservedAndGateway_ExcludesOnlyThePartInsideTheBlock()
    {
        var options = new BlockAllocatorOptions
        {
            Reserved = [IpRange.Parse("10.0.0.250-10.0.1.10"), IpRange.Parse("fd00::/120"), IpRange.Parse("10.0.0.5")],
            Gateway = IPAddress.Parse("10.0.0.1"),
        };

        var allocator = new BlockAllocator(IpPrefix.Parse("10.0.0.0/24"), options, _time);

        // 256 - network - broadcast - gateway - .5 - .250..254 (5; .255 is the broadcast already).
        Assert.Equal(256 - 2 - 1 - 1 - 5, allocator.Capacity);
    }

    [Fact]
    public void Allocate_FreshBlockWithGateway_SkipsNetworkAndGatewayInOrder()
    {
        var allocator = Create("10.244.3.64/26", gateway: "10.244.3.65");

        var first = allocator.Allocate("h1", s_none);
        var second = allocator.Allocate("h2", new AllocationAttributes("node-a", "default", "web", "uid-1"));

        Assert.Equal(IPAddress.Parse("10.244.3.66"), first.Address);
        Assert.Equal(2, first.Offset);
        Assert.Equal(IPAddress.Parse("10.244.3.67"), second.Address);
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal("node-a", second.Attributes.Node);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), second.AllocatedAt.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Allocate_SameHandleTwice_ReturnsTheSameRecord()
    {
        var allocator = Create("10.0.0.0/28");

        var first = allocator.Allocate("h1", s_none);
        var retry = allocator.Allocate("h1", new AllocationAttributes(Node: "other"));

        Assert.Same(first, retry);
        Assert.Equal(1, allocator.Used);
    }

    [Fact]
    public void Allocate_FullBlock_ThrowsPoolExhaustedNamingBlockAndCapacity()
    {
        var allocator = Create("10.0.0.0/30");
        allocator.Allocate("h1", s_none);
        allocator.Allocate("h2", s_none);

        var error = Assert.Throws<PoolExhaustedException>(() => allocator.Allocate("h3", s_none));

        Assert.Equal("no free address left in '10.0.0.0/30' (size 2)", error.Message);
        Assert.Equal(IpamErrorKind.Exhausted, error.Kind);
    }

    [Theory]
    [InlineData("10.0.0.0/32")]
    [InlineData("10.0.0.0/31")]
    [InlineData("fd00::/128")]
    public void Allocate_BlockWithNoUsableAddress_ThrowsPoolExhaustedWithSizeZero(string block)
    {
        var error = Assert.Throws<PoolExhaustedException>(() => Create(block).Allocate("h1", s_none));

        Assert.Equal(UInt128.Zero, error.Size);
    }

    [Fact]
    public void Allocate_Slash127_HandsOutTheSecondAddress()
    {
        var record = Create("fd00::/127").Allocate("h1", s_none);

        Assert.Equal(IPAddress.Parse("fd00::1"), record.Address);
    }

    [Fact]
    public void Allocate_IPv6Block_HandsOutTheLastAddress()
    {
        var allocator = Create("fd00::/126");

        var addresses = Enumerable.Range(0, 3).Select(i => allocator.Allocate($"h{i}", s_none).Address.ToString());

        Assert.Equal(["fd00::1", "fd00::2", "fd00::3"], addresses);
    }

    [Fact]
    public void Allocate_AfterRelease_ContinuesFromTheCursor()
    {
        var allocator = Create("10.0.0.0/29", cooldown: TimeSpan.Zero);
        allocator.Allocate("h1", s_none);
        allocator.Allocate("h2", s_none);
        allocator.ReleaseByHandle("h1");

        var next = allocator.Allocate("h3", s_none);

        Assert.Equal(IPAddress.Parse("10.0.0.3"), next.Address);
    }

    [Fact]
    public void Allocate_OnlyCoolingAddressesFree_TakesTheOneReleasedLongestAgo()
    {
        var allocator = Create("10.0.0.0/29");
        var records = Enumerable.Range(0, 6).Select(i => allocator.Allocate($"h{i}", s_none)).ToList();
        allocator.ReleaseByHandle("h4");
        _time.Advance(TimeSpan.FromSeconds(1));
        allocator.ReleaseByHandle("h1");

        Assert.Equal(records[4].Address, allocator.Allocate("n1", s_none).Address);
        Assert.Equal(records[1].Address, allocator.Allocate("n2", s_none).Address);
    }

    [Fact]
    public void Allocate_CooldownOver_ReusesTheAddressInCursorOrder()
    {
        var allocator = Create("10.0.0.0/28", cooldown: TimeSpan.FromSeconds(30));
        for (var i = 1; i <= 14; i++)
        {
            allocator.Allocate($"h{i}", s_none);
        }

        allocator.ReleaseByHandle("h3");
        _time.Advance(TimeSpan.FromSeconds(30));
        allocator.ReleaseByHandle("h1");

        // The cursor wrapped round to .1, which is still cooling; .3 has cooled down.
        Assert.Equal(IPAddress.Parse("10.0.0.3"), allocator.Allocate("n1", s_none).Address);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), allocator.Allocate("n2", s_none).Address);
    }

    [Fact]
    public void Release_StaleSequence_ReturnsFalseAndKeepsTheNewHolder()
    {
        var allocator = Create("10.0.0.0/30", cooldown: TimeSpan.Zero);
        var old = allocator.AllocateSpecific(IPAddress.Parse("10.0.0.1"), "h1", s_none);
        allocator.ReleaseByHandle("h1");
        var current = allocator.Allocate("h2", s_none);

        Assert.Equal(old.Address, current.Address);
        Assert.False(allocator.Release(old.Address, old.Sequence));
        Assert.Equal(current, allocator.FindByAddress(old.Address));
        Assert.True(allocator.Release(current.Address, current.Sequence));
        Assert.False(allocator.Release(current.Address, current.Sequence));
    }

    [Theory]
    [InlineData("10.0.0.7")]
    [InlineData("10.0.1.1")]
    [InlineData("fd00::1")]
    public void Release_FreeOrOutsideAddress_ReturnsFalse(string address)
    {
        Assert.False(Create("10.0.0.0/24").Release(IPAddress.Parse(address), 1));
    }

    [Fact]
    public void ReleaseByHandle_UnknownHandle_ReturnsEmpty()
    {
        Assert.Empty(Create("10.0.0.0/24").ReleaseByHandle("nobody"));
    }

    [Fact]
    public void FindByHandleAndAddress_AfterRelease_ReturnNull()
    {
        var allocator = Create("10.0.0.0/24");
        var record = allocator.Allocate("h1", s_none);
        Assert.Equal(record, allocator.FindByHandle("h1"));

        Assert.Equal([record], allocator.ReleaseByHandle("h1"));

        Assert.Null(allocator.FindByHandle("h1"));
        Assert.Null(allocator.FindByAddress(record.Address));
    }

    [Fact]
    public void Allocations_AllocatedOutOfOrder_ListsInAddressOrder()
    {
        var allocator = Create("10.0.0.0/24");
        allocator.AllocateSpecific(IPAddress.Parse("10.0.0.9"), "a", s_none);
        allocator.AllocateSpecific(IPAddress.Parse("10.0.0.3"), "b", s_none);
        allocator.Allocate("c", s_none);

        Assert.Equal(["c", "b", "a"], allocator.Allocations.Select(r => r.HandleId));
    }

    private BlockAllocator Create(string block, string? gateway = null, string? reserved = null, TimeSpan? cooldown = null)
    {
        var options = new BlockAllocatorOptions
        {
            Gateway = gateway is null ? null : IPAddress.Parse(gateway),
            Reserved = reserved is null ? [] : [IpRange.Parse(reserved)],
            ReleaseCooldown = cooldown ?? BlockAllocatorOptions.DefaultReleaseCooldown,
        };
        return new BlockAllocator(IpPrefix.Parse(block), options, _time);
    }
}
