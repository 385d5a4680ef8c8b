using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Core.Tests.Generators;
using FsCheck.Xunit;

namespace DistIpam.Core.Tests.Addressing;

public sealed class IpPrefixTests
{
    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void Parse_FormattedPrefix_RoundTrips(IpPrefix prefix)
    {
        var text = prefix.ToString();

        Assert.Equal(prefix, IpPrefix.Parse(text));
        Assert.True(IpPrefix.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(prefix, parsed);
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void Parse_HostBitsSet_RejectedSuggestingMaskedForm(HostBitsCase hostBitsCase)
    {
        var text = hostBitsCase.Text;

        var error = Assert.Throws<InvalidCidrException>(() => IpPrefix.Parse(text));

        Assert.Equal(text, error.Text);
        Assert.Contains($"did you mean {hostBitsCase.Masked}?", error.Reason, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.False(IpPrefix.TryParse(text, out _, out _));
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void Carve_AnyPool_BlocksAlignedDisjointInOrderAndCoverPoolExactly(CarveCase carveCase)
    {
        var (pool, blockLength) = carveCase;
        var blocks = pool.Carve(blockLength).ToList();

        Assert.Equal(pool.BlockCount(blockLength), (UInt128)blocks.Count);
        Assert.Equal(pool.First, blocks[0].First);
        Assert.Equal(pool.Last, blocks[^1].Last);
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            Assert.Equal(blockLength, block.PrefixLength);
            Assert.Equal(pool.Family, block.Family);
            Assert.Equal(UInt128.Zero, block.First & IpAddressMath.HostMask(blockLength, block.AddressBits));
            Assert.True(pool.Contains(block), $"{block} is not inside {pool}");
            Assert.Equal(block, pool.BlockAt(blockLength, (UInt128)i));
            if (i > 0)
            {
                // Each block starting right after the previous one is disjoint, ordered and gap-free.
                Assert.Equal(blocks[i - 1].Last + 1, block.First);
            }
        }
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void BlockOf_AddressInPrefix_RoundTripsThroughOffsetOfAndAddressAt(AddressCase addressCase)
    {
        var (prefix, blockLength, offset) = addressCase;

        var address = prefix.AddressAt(offset);
        Assert.Equal(addressCase.Value, IpAddressMath.ToUInt128(address));
        Assert.True(prefix.Contains(address));
        Assert.Equal(offset, prefix.OffsetOf(address));

        var block = prefix.BlockOf(address, blockLength);
        var index = prefix.BlockIndexOf(address, blockLength);
        Assert.Equal(blockLength, block.PrefixLength);
        Assert.True(block.Contains(address), $"{address} is not in its block {block}");
        Assert.True(prefix.Contains(block), $"{block} is not inside {prefix}");
        Assert.Equal(block, prefix.BlockAt(blockLength, index));
        Assert.Equal(address, block.AddressAt(block.OffsetOf(address)));
        Assert.Equal(offset, (block.First - prefix.First) + block.OffsetOf(address));
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void AddressAt_Ipv6OffsetPast2Pow64_RoundTrips(WideOffsetCase wideCase)
    {
        var (prefix, offset) = wideCase;

        var address = prefix.AddressAt(offset);

        Assert.True(offset >= (UInt128.One << 64));
        Assert.Equal(prefix.First + offset, IpAddressMath.ToUInt128(address));
        Assert.Equal(offset, prefix.OffsetOf(address));
        Assert.Equal(offset, prefix.BlockIndexOf(address, 128));
        Assert.Equal(offset >> 6, prefix.BlockIndexOf(address, 122));
        Assert.Equal(IpPrefix.Host(address), prefix.BlockOf(address, 128));
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void ContainsAndOverlaps_PrefixesInWindow_AgreeWithBruteForce(WindowCase window)
    {
        var p = window.PrefixP;
        var q = window.PrefixQ;
        var membersOfP = Members(p);
        var membersOfQ = q.Family == p.Family ? Members(q) : [];

        foreach (var value in window.Addresses())
        {
            var address = IpAddressMath.FromUInt128(value, window.Family);
            Assert.Equal(membersOfP.Contains(value), p.Contains(value));
            Assert.Equal(membersOfP.Contains(value), p.Contains(address));
            Assert.Equal(membersOfQ.Contains(value), q.Contains(address));
        }

        Assert.Equal(membersOfP.Overlaps(membersOfQ), p.Overlaps(q));
        Assert.Equal(membersOfP.Overlaps(membersOfQ), q.Overlaps(p));
        Assert.Equal(membersOfQ.Count > 0 && membersOfQ.IsSubsetOf(membersOfP), p.Contains(q));
    }

    [Theory]
    [InlineData("10.244.0.0/16", IpFamily.V4, 16, "10.244.0.0", "10.244.255.255")]
    [InlineData("0.0.0.0/0", IpFamily.V4, 0, "0.0.0.0", "255.255.255.255")]
    [InlineData("10.0.0.1/32", IpFamily.V4, 32, "10.0.0.1", "10.0.0.1")]
    [InlineData("fd00:10:244::/56", IpFamily.V6, 56, "fd00:10:244::", "fd00:10:244:ff:ffff:ffff:ffff:ffff")]
    [InlineData("FD00::/8", IpFamily.V6, 8, "fd00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("::/0", IpFamily.V6, 0, "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fd00::1/128", IpFamily.V6, 128, "fd00::1", "fd00::1")]
    public void Parse_ValidCidr_HasFamilyLengthAndBounds(string text, IpFamily family, int length, string first, string last)
    {
        var prefix = IpPrefix.Parse(text);

        Assert.Equal(family, prefix.Family);
        Assert.Equal(length, prefix.PrefixLength);
        Assert.Equal(IPAddress.Parse(first), prefix.NetworkAddress);
        Assert.Equal(IPAddress.Parse(last), prefix.LastAddress);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10.0.0.0", "missing '/prefix-length'")]
    [InlineData("10.0.0.0/33", "prefix length must be 0-32")]
    [InlineData("fd00::/129", "prefix length must be 0-128")]
    [InlineData("10.0.0.0/-1", "is not a number")]
    [InlineData("10.0.0.0/ 8", "is not a number")]
    [InlineData("10.0.0.0/8/8", "is not a number")]
    [InlineData("hello/8", "is not an IP address")]
    [InlineData("10.0.0.256/32", "is not an IP address")]
    [InlineData("10.0.0/8", "is not an IP address")]
    [InlineData("10.1/16", "is not an IP address")]
    [InlineData("010.0.0.0/8", "without leading zeros")]
    [InlineData("0x0a.0.0.0/8", "is not an IP address")]
    [InlineData(" 10.0.0.0/8", "is not an IP address")]
    [InlineData("[fd00::]/64", "is not an IP address")]
    [InlineData("fe80::%eth0/64", "is not an IP address")]
    [InlineData("::ffff:010.0.0.0/104", "is not an IP address")]
    [InlineData("10.0.0.1/24", "did you mean 10.0.0.0/24?")]
    [InlineData("fd00::1/64", "did you mean fd00::/64?")]
    public void Parse_InvalidText_ThrowsNamingTextAndReason(string text, string reason)
    {
        var error = Assert.Throws<InvalidCidrException>(() => IpPrefix.Parse(text));

        Assert.Equal(text, error.Text);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(IpamErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Parse_LeadingZeroOctet_RejectedInsteadOfReadAsOctal()
    {
        // IPAddress.Parse reads "010" as octal 8: accepting it would silently make 8.0.0.0/8.
        Assert.False(IpPrefix.TryParse("010.0.0.0/8", out _, out _));
        Assert.Equal(IPAddress.Parse("8.0.0.0"), IPAddress.Parse("010.0.0.0"));
    }

    [Fact]
    public void Parse_Ipv4MappedIpv6Prefix_RoundTripsThroughDottedForm()
    {
        var prefix = IpPrefix.Create(IPAddress.Parse("::ffff:a00:0"), 104);

        Assert.Equal("::ffff:10.0.0.0/104", prefix.ToString());
        Assert.Equal(prefix, IpPrefix.Parse(prefix.ToString()));
        Assert.Equal(IpFamily.V6, prefix.Family);
    }

    [Fact]
    public void BlockIndexOf_WholeIpv6SpaceAsOneBlock_ReturnsZero()
    {
        var all = IpPrefix.Parse("::/0");
        var address = IPAddress.Parse("fd00::1");

        Assert.Equal(UInt128.Zero, all.BlockIndexOf(address, 0));
        Assert.Equal(all, all.BlockOf(address, 0));
    }

    [Fact]
    public void BlockOf_LastAddressOfWholeIpv6SpaceAsHostBlocks_IsLastBlock()
    {
        var all = IpPrefix.Parse("::/0");
        var last = IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

        Assert.Equal(UInt128.MaxValue, all.BlockIndexOf(last, 128));
        Assert.Equal(IpPrefix.Host(last), all.BlockAt(128, UInt128.MaxValue));
        Assert.Equal(IpPrefix.Host(last), all.BlockOf(last, 128));
        Assert.Equal(UInt128.MaxValue, all.BlockCount(128));
    }

    [Fact]
    public void Carve_WholeIpv4SpaceIntoHosts_EndsWithLastAddress()
    {
        var all = IpPrefix.Parse("0.0.0.0/0");

        Assert.Equal((UInt128)1 << 32, all.BlockCount(32));
        Assert.Equal("255.255.255.255/32", all.BlockAt(32, uint.MaxValue).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => all.BlockAt(32, (UInt128)1 << 32));
    }

    [Fact]
    public void Carve_BlockShorterThanPrefix_ThrowsAtCallNotOnEnumeration()
    {
        var pool = IpPrefix.Parse("10.244.0.0/16");

        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Carve(8));
    }

    [Fact]
    public void Carve_Slash16IntoSlash26_Yields1024BlocksFromFirstToLast()
    {
        var blocks = IpPrefix.Parse("10.244.0.0/16").Carve(26).ToList();

        Assert.Equal(1024, blocks.Count);
        Assert.Equal("10.244.0.0/26", blocks[0].ToString());
        Assert.Equal("10.244.0.64/26", blocks[1].ToString());
        Assert.Equal("10.244.255.192/26", blocks[^1].ToString());
    }

    [Fact]
    public void OffsetOf_AddressOutsidePrefix_ThrowsNamingAddressAndPrefix()
    {
        var prefix = IpPrefix.Parse("10.244.0.0/16");

        var error = Assert.Throws<AddressNotAllocatableException>(() => prefix.OffsetOf(IPAddress.Parse("10.245.0.1")));

        Assert.Equal("10.245.0.1", error.Address);
        Assert.Equal("10.244.0.0/16", error.Range);
    }

    [Fact]
    public void Contains_AddressOfOtherFamily_IsFalse()
    {
        var prefix = IpPrefix.Parse("0.0.0.0/0");

        Assert.False(prefix.Contains(IPAddress.Parse("::1")));
        Assert.False(prefix.Overlaps(IpPrefix.Parse("::/0")));
        Assert.False(prefix.Contains(IpPrefix.Parse("::/96")));
    }

    [Fact]
    public void Size_WholeIpv6Space_SaturatesAtMaxValue()
    {
        Assert.Equal(UInt128.MaxValue, IpPrefix.Parse("::/0").Size);
        Assert.Equal(UInt128.One << 64, IpPrefix.Parse("fd00::/64").Size);
        Assert.Equal((UInt128)4, IpPrefix.Parse("10.0.0.0/30").Size);
    }

    private static HashSet<UInt128> Members(IpPrefix prefix)
    {
        var members = new HashSet<UInt128>();
        for (UInt128 i = 0; i < prefix.Size; i++)
        {
            members.Add(IpAddressMath.ToUInt128(prefix.AddressAt(i)));
        }

        return members;
    }
}
