using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class PortRangeAllocatorTests
{
    [Fact]
    public void Constructor_Defaults_Covers30000To32767WithAStaticBandOf86()
    {
        var allocator = new PortRangeAllocator(new Random(1));

        Assert.Equal(30000, allocator.First);
        Assert.Equal(32767, allocator.Last);
        Assert.Equal(2768, allocator.Capacity);
        Assert.Equal(86, allocator.StaticBandSize);
    }

    [Theory]
    [InlineData(1, 65535, 128)]
    [InlineData(30000, 30009, 10)]
    [InlineData(30000, 30099, 16)]
    [InlineData(443, 443, 1)]
    public void Constructor_AnyRange_HasKubernetesStaticBand(int first, int last, int staticBand)
    {
        Assert.Equal(staticBand, new PortRangeAllocator(first, last, new Random(1)).StaticBandSize);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(100, 65536)]
    [InlineData(200, 100)]
    public void Constructor_InvalidBounds_ThrowsArgumentOutOfRange(int first, int last)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PortRangeAllocator(first, last, new Random(1)));

        Assert.Contains($"port range {first}-{last} must satisfy 1 <= first <= last <= 65535", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_FreshDefaultRange_PicksFromTheUpperBand()
    {
        var allocator = new PortRangeAllocator(random: new Random(7));

        for (var i = 0; i < 100; i++)
        {
            Assert.InRange(allocator.Allocate($"default/svc-{i}"), 30086, 32767);
        }
    }

    [Fact]
    public void Allocate_UpperBandFull_FallsBackToTheStaticBand()
    {
        var allocator = new PortRangeAllocator(30000, 30099, new Random(3));
        for (var i = 0; i < 84; i++)
        {
            Assert.InRange(allocator.Allocate($"default/svc-{i}"), 30016, 30099);
        }

        Assert.InRange(allocator.Allocate("default/late"), 30000, 30015);
    }

    [Fact]
    public void Allocate_FullRange_ThrowsPoolExhaustedNamingTheRange()
    {
        var allocator = new PortRangeAllocator(30000, 30001, new Random(1));
        allocator.Allocate("default/a");
        allocator.Allocate("default/a");

        var error = Assert.Throws<PoolExhaustedException>(() => allocator.Allocate("default/b"));

        Assert.Equal("no free address left in '30000-30001' (size 2)", error.Message);
    }

    [Fact]
    public void AllocateSpecific_StaticBandPort_IsGranted()
    {
        var allocator = new PortRangeAllocator(random: new Random(1));

        Assert.Equal(30000, allocator.AllocateSpecific(30000, "default/web"));
        Assert.Equal("default/web", allocator.Holder(30000));
    }

    [Theory]
    [InlineData(29999)]
    [InlineData(32768)]
    public void AllocateSpecific_OutsideTheRange_ThrowsNamingTheReason(int port)
    {
        var error = Assert.Throws<AddressNotAllocatableException>(
            () => new PortRangeAllocator(random: new Random(1)).AllocateSpecific(port, "default/web"));

        Assert.Equal($"address {port} cannot be allocated from 30000-32767: outside the range", error.Message);
    }

    [Fact]
    public void AllocateSpecific_HeldByAnotherService_ThrowsAddressTakenNamingTheHolder()
    {
        var allocator = new PortRangeAllocator(random: new Random(1));
        allocator.AllocateSpecific(30080, "default/web");

        var error = Assert.Throws<AddressTakenException>(() => allocator.AllocateSpecific(30080, "default/api"));

        Assert.Equal("address 30080 is already allocated to 'default/web'", error.Message);
    }

    [Fact]
    public void AllocateSpecific_SameHolderTwice_IsIdempotent()
    {
        var allocator = new PortRangeAllocator(random: new Random(1));
        allocator.AllocateSpecific(30080, "default/web");

        Assert.Equal(30080, allocator.AllocateSpecific(30080, "default/web"));
        Assert.Equal(1, allocator.Used);
    }

    [Fact]
    public void Release_HeldThenFree_ReturnsTrueThenFalse()
    {
        var allocator = new PortRangeAllocator(random: new Random(1));
        var port = allocator.Allocate("default/web");

        Assert.True(allocator.Release(port));
        Assert.False(allocator.Release(port));
        Assert.False(allocator.Release(80));
        Assert.Null(allocator.Holder(port));
    }

    [Fact]
    public void FromSnapshot_ValidSnapshot_RestoresHolders()
    {
        var allocator = new PortRangeAllocator(random: new Random(1));
        var port = allocator.Allocate("default/web");

        var restored = PortRangeAllocator.FromSnapshot(allocator.ToSnapshot(), new Random(2));

        Assert.Equal("default/web", restored.Holder(port));
        Assert.Equal(1, restored.Used);
    }

    [Theory]
    [InlineData(30000, 32767, 29999, "port 29999 is outside the range")]
    [InlineData(30000, 32767, 32768, "port 32768 is outside the range")]
    [InlineData(32767, 30000, 30000, "must satisfy 1 <= first <= last <= 65535")]
    public void FromSnapshot_CorruptSnapshot_ThrowsInvalidDataNamingTheProblem(int first, int last, int port, string expected)
    {
        var snapshot = new PortRangeSnapshot(first, last, [new PortRangeSnapshotEntry(port, "default/web")]);

        var error = Assert.Throws<InvalidDataException>(() => PortRangeAllocator.FromSnapshot(snapshot, new Random(1)));

        Assert.StartsWith($"port range snapshot '{first}-{last}' is corrupt: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSnapshot_DuplicatePort_ThrowsInvalidData()
    {
        var snapshot = new PortRangeSnapshot(
            30000, 32767, [new PortRangeSnapshotEntry(30080, "default/a"), new PortRangeSnapshotEntry(30080, "default/b")]);

        var error = Assert.Throws<InvalidDataException>(() => PortRangeAllocator.FromSnapshot(snapshot, new Random(1)));

        Assert.Contains("port 30080 is allocated twice ('default/a' and 'default/b')", error.Message, StringComparison.Ordinal);
    }
}
