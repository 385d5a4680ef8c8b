using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class ServiceRangeAllocatorTests
{
    [Theory]
    [InlineData("10.0.0.0/7", 25)]
    [InlineData("fd00::/100", 28)]
    [InlineData("fd00::/64", 64)]
    public void Constructor_RangeOver2To24Addresses_ThrowsInvalidCidr(string range, int hostBits)
    {
        var error = Assert.Throws<InvalidCidrException>(() => Create(range));

        Assert.Equal(range, error.Text);
        Assert.Equal(
            $"invalid CIDR '{range}': a service range may hold at most 2^24 addresses (an IPv4 /8 or IPv6 /104), this one holds 2^{hostBits}",
            error.Message);
    }

    [Theory]
    [InlineData("10.96.0.0/12", 1048574, 256)]
    [InlineData("10.0.0.0/8", 16777214, 256)]
    [InlineData("10.96.0.0/16", 65534, 256)]
    [InlineData("10.96.0.0/19", 8190, 256)]
    [InlineData("10.96.0.0/20", 4094, 255)]
    [InlineData("10.96.0.0/24", 254, 16)]
    [InlineData("10.96.0.0/28", 14, 14)]
    [InlineData("10.96.0.0/30", 2, 2)]
    [InlineData("10.96.0.0/31", 0, 0)]
    [InlineData("10.96.0.0/32", 0, 0)]
    [InlineData("fd00:10:96::/108", 1048575, 256)]
    [InlineData("fd00:10:96::/120", 255, 16)]
    [InlineData("fd00:10:96::/127", 1, 1)]
    [InlineData("fd00:10:96::/128", 0, 0)]
    public void Constructor_AnyRange_HasKubernetesCapacityAndStaticBand(string range, int capacity, int staticBand)
    {
        var allocator = Create(range);

        Assert.Equal(capacity, allocator.Capacity);
        Assert.Equal(staticBand, allocator.StaticBandSize);
        Assert.Equal(0, allocator.Used);
    }

    [Fact]
    public void Allocate_Slash12_PicksFromTheUpperBand()
    {
        var allocator = Create("10.96.0.0/12");

        for (var i = 0; i < 100; i++)
        {
            var offset = IpAddressMath.ToUInt128(allocator.Allocate($"default/svc-{i}")) - IpPrefix.Parse("10.96.0.0/12").First;
            Assert.InRange(offset, (UInt128)257, (UInt128)1048574);
        }

        Assert.Equal(100, allocator.Used);
    }

    [Fact]
    public void Allocate_DifferentSeeds_StartAtDifferentAddresses()
    {
        var firsts = Enumerable.Range(0, 10).Select(seed => Create("10.96.0.0/16", seed).Allocate("default/svc")).Distinct();

        Assert.True(firsts.Count() > 1, "every seed picked the same first address: the start is not random");
    }

    [Fact]
    public void Allocate_UpperBandFull_FallsBackToTheStaticBand()
    {
        var allocator = Create("10.96.0.0/24");
        for (var i = 0; i < 254 - 16; i++)
        {
            allocator.Allocate($"default/svc-{i}");
        }

        var address = allocator.Allocate("default/late");

        Assert.InRange(address.GetAddressBytes()[3], (byte)1, (byte)16);
    }

    [Fact]
    public void Allocate_Slash18UntilFull_UsesEveryAddressThenThrowsExhausted()
    {
        var allocator = Create("10.96.0.0/18");
        var seen = new HashSet<IPAddress>();
        for (var i = 0; i < allocator.Capacity; i++)
        {
            Assert.True(seen.Add(allocator.Allocate($"s{i}")));
        }

        var error = Assert.Throws<PoolExhaustedException>(() => allocator.Allocate("default/one-more"));

        Assert.Equal("no free address left in '10.96.0.0/18' (size 16382)", error.Message);
        Assert.DoesNotContain(IPAddress.Parse("10.96.0.0"), seen);
        Assert.DoesNotContain(IPAddress.Parse("10.96.63.255"), seen);
    }

    [Theory]
    [InlineData("10.96.0.10")]
    [InlineData("10.111.255.254")]
    public void AllocateSpecific_StaticBandOrLastAddress_IsGranted(string address)
    {
        var allocator = Create("10.96.0.0/12");

        Assert.Equal(IPAddress.Parse(address), allocator.AllocateSpecific(IPAddress.Parse(address), "kube-system/kube-dns"));
        Assert.Equal("kube-system/kube-dns", allocator.Holder(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.96.0.0", "network address")]
    [InlineData("10.96.255.255", "broadcast address")]
    [InlineData("10.97.0.1", "outside the range")]
    [InlineData("fd00::1", "outside the range")]
    public void AllocateSpecific_NotAllocatable_ThrowsNamingTheReason(string address, string reason)
    {
        var error = Assert.Throws<AddressNotAllocatableException>(
            () => Create("10.96.0.0/16").AllocateSpecific(IPAddress.Parse(address), "default/svc"));

        Assert.Equal($"address {address} cannot be allocated from 10.96.0.0/16: {reason}", error.Message);
    }

    [Fact]
    public void AllocateSpecific_IPv6LastAddress_IsGrantedBecauseIPv6HasNoBroadcast()
    {
        var allocator = Create("fd00:10:96::/120");

        Assert.Equal(IPAddress.Parse("fd00:10:96::ff"), allocator.AllocateSpecific(IPAddress.Parse("fd00:10:96::ff"), "default/svc"));
    }

    [Fact]
    public void AllocateSpecific_HeldByAnotherService_ThrowsAddressTakenNamingTheHolder()
    {
        var allocator = Create("10.96.0.0/16");
        allocator.AllocateSpecific(IPAddress.Parse("10.96.0.10"), "kube-system/kube-dns");

        var error = Assert.Throws<AddressTakenException>(
            () => allocator.AllocateSpecific(IPAddress.Parse("10.96.0.10"), "default/web"));

        Assert.Equal("address 10.96.0.10 is already allocated to 'kube-system/kube-dns'", error.Message);
    }

    [Fact]
    public void AllocateSpecific_SameHolderTwice_IsIdempotent()
    {
        var allocator = Create("10.96.0.0/16");
        allocator.AllocateSpecific(IPAddress.Parse("10.96.0.10"), "kube-system/kube-dns");

        allocator.AllocateSpecific(IPAddress.Parse("10.96.0.10"), "kube-system/kube-dns");

        Assert.Equal(1, allocator.Used);
    }

    [Fact]
    public void Release_HeldThenFree_ReturnsTrueThenFalse()
    {
        var allocator = Create("10.96.0.0/16");
        var address = allocator.Allocate("default/web");

        Assert.True(allocator.Release(address));
        Assert.False(allocator.Release(address));
        Assert.False(allocator.Release(IPAddress.Parse("10.96.0.0")));
        Assert.Null(allocator.Holder(address));
        Assert.Equal(0, allocator.Used);
    }

    [Fact]
    public void FromSnapshot_ValidSnapshot_RestoresHolders()
    {
        var allocator = Create("10.96.0.0/12");
        var address = allocator.Allocate("default/web");
        allocator.AllocateSpecific(IPAddress.Parse("10.96.0.10"), "kube-system/kube-dns");

        var restored = ServiceRangeAllocator.FromSnapshot(allocator.ToSnapshot(), new Random(1));

        Assert.Equal("default/web", restored.Holder(address));
        Assert.Equal("kube-system/kube-dns", restored.Holder(IPAddress.Parse("10.96.0.10")));
        Assert.Equal(2, restored.Used);
    }

    [Theory]
    [InlineData("10.96.0.0/24", 0, "offset 0 is not an allocatable address")]
    [InlineData("10.96.0.0/24", 255, "offset 255 is not an allocatable address")]
    [InlineData("10.96.0.0/24", 256, "offset 256 is not an allocatable address")]
    [InlineData("10.0.0.0/7", 1, "at most 2^24 addresses")]
    [InlineData("10.96.0.0/33", 1, "is not a CIDR")]
    public void FromSnapshot_CorruptSnapshot_ThrowsInvalidDataNamingTheProblem(string range, int offset, string expected)
    {
        var snapshot = new ServiceRangeSnapshot(range, [new ServiceRangeSnapshotEntry(offset, "default/web")]);

        var error = Assert.Throws<InvalidDataException>(() => ServiceRangeAllocator.FromSnapshot(snapshot, new Random(1)));

        Assert.StartsWith($"service range snapshot '{range}' is corrupt: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSnapshot_DuplicateOffset_ThrowsInvalidData()
    {
        var snapshot = new ServiceRangeSnapshot(
            "10.96.0.0/24", [new ServiceRangeSnapshotEntry(5, "default/a"), new ServiceRangeSnapshotEntry(5, "default/b")]);

        var error = Assert.Throws<InvalidDataException>(() => ServiceRangeAllocator.FromSnapshot(snapshot, new Random(1)));

        Assert.Contains("offset 5 is allocated twice ('default/a' and 'default/b')", error.Message, StringComparison.Ordinal);
    }

    private static ServiceRangeAllocator Create(string range, int seed = 42) => new(IpPrefix.Parse(range), new Random(seed));
}
