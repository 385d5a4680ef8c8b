using System.Net;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Tests.Allocation;

public sealed partial class BlockAllocatorTests
{
    [Fact]
    public void AllocateSpecific_CoolingAddress_IsGranted()
    {
        var allocator = Create("10.0.0.0/28");
        var old = allocator.Allocate("h1", s_none);
        allocator.ReleaseByHandle("h1");

        var record = allocator.AllocateSpecific(old.Address, "h2", s_none);

        Assert.Equal(old.Address, record.Address);
        Assert.NotEqual(old.Address, allocator.Allocate("h3", s_none).Address);
    }

    [Theory]
    [InlineData("10.0.1.1", "outside the range")]
    [InlineData("fd00::1", "outside the range")]
    [InlineData("10.0.0.0", "network address")]
    [InlineData("10.0.0.255", "broadcast address")]
    [InlineData("10.0.0.200", "reserved")]
    [InlineData("10.0.0.1", "gateway")]
    public void AllocateSpecific_NotAllocatable_ThrowsNamingTheReason(string address, string reason)
    {
        var allocator = Create("10.0.0.0/24", gateway: "10.0.0.1", reserved: "10.0.0.200-10.0.0.210");

        var error = Assert.Throws<AddressNotAllocatableException>(() => allocator.AllocateSpecific(IPAddress.Parse(address), "h1", s_none));

        Assert.Equal($"address {address} cannot be allocated from 10.0.0.0/24: {reason}", error.Message);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(0, allocator.Used);
    }

    [Fact]
    public void AllocateSpecific_IPv6NetworkAddress_ThrowsNetworkAddress()
    {
        var error = Assert.Throws<AddressNotAllocatableException>(
            () => Create("fd00::/122").AllocateSpecific(IPAddress.Parse("fd00::"), "h1", s_none));

        Assert.Equal("network address", error.Reason);
    }

    [Fact]
    public void AllocateSpecific_HeldByAnotherHandle_ThrowsAddressTakenNamingTheHolder()
    {
        var allocator = Create("10.0.0.0/24");
        allocator.AllocateSpecific(IPAddress.Parse("10.0.0.5"), "podnet/abc/eth0", s_none);

        var error = Assert.Throws<AddressTakenException>(
            () => allocator.AllocateSpecific(IPAddress.Parse("10.0.0.5"), "podnet/def/eth0", s_none));

        Assert.Equal("address 10.0.0.5 is already allocated to 'podnet/abc/eth0'", error.Message);
        Assert.Equal("podnet/abc/eth0", error.Holder);
    }

    [Fact]
    public void AllocateSpecific_SameHandleAndAddress_ReturnsTheExistingRecord()
    {
        var allocator = Create("10.0.0.0/24");
        var first = allocator.AllocateSpecific(IPAddress.Parse("10.0.0.5"), "h1", s_none);

        Assert.Same(first, allocator.AllocateSpecific(IPAddress.Parse("10.0.0.5"), "h1", s_none));
    }

    [Fact]
    public void AllocateSpecific_HandleHoldsAnotherAddress_ThrowsNamingIt()
    {
        var allocator = Create("10.0.0.0/24");
        allocator.AllocateSpecific(IPAddress.Parse("10.0.0.5"), "h1", s_none);

        var error = Assert.Throws<AddressNotAllocatableException>(
            () => allocator.AllocateSpecific(IPAddress.Parse("10.0.0.6"), "h1", s_none));

        Assert.Equal("handle 'h1' already holds 10.0.0.5 in this block", error.Reason);
    }

    [Fact]
    public void AllocateSpecific_DoesNotMoveTheCursor()
    {
        var allocator = Create("10.0.0.0/24");
        allocator.AllocateSpecific(IPAddress.Parse("10.0.0.100"), "h1", s_none);

        Assert.Equal(IPAddress.Parse("10.0.0.1"), allocator.Allocate("h2", s_none).Address);
    }
}
