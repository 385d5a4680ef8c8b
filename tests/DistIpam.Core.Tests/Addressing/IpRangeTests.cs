using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Core.Tests.Generators;
using FsCheck.Xunit;

namespace DistIpam.Core.Tests.Addressing;

public sealed class IpRangeTests
{
    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void Parse_FormattedRange_RoundTrips(IpRange range)
    {
        var text = range.ToString();

        Assert.Equal(range, IpRange.Parse(text));
        Assert.True(IpRange.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(range, parsed);
        Assert.Equal(range.Start == range.End, !text.Contains('-', StringComparison.Ordinal));
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void Parse_Cidr_EqualsFromPrefixWithSameBounds(IpPrefix prefix)
    {
        var range = IpRange.Parse(prefix.ToString());

        Assert.Equal(IpRange.FromPrefix(prefix), range);
        Assert.Equal(prefix.First, range.Start);
        Assert.Equal(prefix.Last, range.End);
        Assert.Equal(prefix.Family, range.Family);
        Assert.Equal(prefix.Size, range.Size);
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void Parse_StartAfterEnd_ThrowsNamingTextAndBothBounds(IpRange range)
    {
        if (range.Start == range.End)
        {
            // A one-address range has no reversed form; the generator makes many of them on purpose.
            return;
        }

        var text = $"{range.EndAddress}-{range.StartAddress}";

        var error = Assert.Throws<InvalidCidrException>(() => IpRange.Parse(text));

        Assert.Equal(text, error.Text);
        Assert.Equal($"start {range.EndAddress} is after end {range.StartAddress}", error.Reason);
        Assert.False(IpRange.TryParse(text, out _));
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void Contains_BoundsAndTheirNeighbours_OnlyBoundsInside(IpRange range)
    {
        var max = PrefixGenerators.MaxAddress(IpAddressMath.BitsOf(range.Family));

        Assert.True(range.Contains(range.Start));
        Assert.True(range.Contains(range.End));
        Assert.True(range.Contains(range.StartAddress));
        Assert.True(range.Contains(range.EndAddress));
        if (range.End < max)
        {
            Assert.False(range.Contains(range.End + 1));
            Assert.False(range.Contains(IpAddressMath.FromUInt128(range.End + 1, range.Family)));
        }

        if (range.Start > 0)
        {
            Assert.False(range.Contains(range.Start - 1));
        }
    }

    [Property(MaxTest = 1000, Arbitrary = new[] { typeof(PrefixGenerators) })]
    public void ContainsAndOverlaps_RangesInWindow_AgreeWithBruteForce(WindowCase window)
    {
        var a = window.RangeA;
        var b = window.RangeB;
        var p = window.PrefixP;
        var membersOfA = Members(a);
        var membersOfB = b.Family == a.Family ? Members(b) : [];
        var membersOfP = Members(p);

        foreach (var value in window.Addresses())
        {
            var address = IpAddressMath.FromUInt128(value, window.Family);
            Assert.Equal(membersOfA.Contains(value), a.Contains(value));
            Assert.Equal(membersOfA.Contains(value), a.Contains(address));
            Assert.Equal(membersOfB.Contains(value), b.Contains(address));
        }

        Assert.Equal(membersOfA.Overlaps(membersOfB), a.Overlaps(b));
        Assert.Equal(membersOfA.Overlaps(membersOfB), b.Overlaps(a));
        Assert.Equal(membersOfA.Overlaps(membersOfP), a.Overlaps(p));
        Assert.Equal(membersOfB.Overlaps(membersOfP), b.Overlaps(p));
    }

    [Theory]
    [InlineData("10.0.0.1-10.0.0.9", "10.0.0.1", "10.0.0.9", 9)]
    [InlineData("10.0.0.0/30", "10.0.0.0", "10.0.0.3", 4)]
    [InlineData("10.0.0.5", "10.0.0.5", "10.0.0.5", 1)]
    [InlineData("0.0.0.0-255.255.255.255", "0.0.0.0", "255.255.255.255", 4294967296)]
    [InlineData("fd00::1-fd00::ff", "fd00::1", "fd00::ff", 255)]
    [InlineData("fd00::/120", "fd00::", "fd00::ff", 256)]
    [InlineData("fd00::5", "fd00::5", "fd00::5", 1)]
    public void Parse_ValidText_HasBoundsAndSize(string text, string start, string end, long size)
    {
        var range = IpRange.Parse(text);

        Assert.Equal(IPAddress.Parse(start), range.StartAddress);
        Assert.Equal(IPAddress.Parse(end), range.EndAddress);
        Assert.Equal((UInt128)size, range.Size);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10.0.0.1-", "empty address")]
    [InlineData("-10.0.0.1", "empty address")]
    [InlineData("10.0.0.1-fd00::1", "start 10.0.0.1 and end fd00::1 are of different address families")]
    [InlineData("10.0.0.9-10.0.0.1", "start 10.0.0.9 is after end 10.0.0.1")]
    [InlineData("10.0.0.1-10.0.0.2-10.0.0.3", "is not an IP address")]
    [InlineData("10.0.0.1 - 10.0.0.9", "is not an IP address")]
    [InlineData("10.0.0.1-10.0.0.9/24", "is not an IP address")]
    [InlineData("010.0.0.1", "without leading zeros")]
    [InlineData("10.0.0.1/24", "did you mean 10.0.0.0/24?")]
    [InlineData("fd00::/129", "prefix length must be 0-128")]
    [InlineData("nonsense", "is not an IP address")]
    public void Parse_InvalidText_ThrowsNamingTextAndReason(string text, string reason)
    {
        var error = Assert.Throws<InvalidCidrException>(() => IpRange.Parse(text));

        Assert.Equal(text, error.Text);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.False(IpRange.TryParse(text, out _, out var tryError));
        Assert.Equal(error.Reason, tryError);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.9", "10.0.0.1-10.0.0.9")]
    [InlineData("10.0.0.7", "10.0.0.7", "10.0.0.7")]
    [InlineData("fd00::1", "fd00::ff", "fd00::1-fd00::ff")]
    [InlineData("FD00:0:0::0001", "fd00::1", "fd00::1")]
    public void ToString_AnyRange_IsCanonicalAndSingleAddressHasNoDash(string start, string end, string expected)
    {
        var range = IpRange.Create(IPAddress.Parse(start), IPAddress.Parse(end));

        Assert.Equal(expected, range.ToString());
    }

    [Fact]
    public void Create_MixedFamilies_ThrowsInvalidCidr()
    {
        var error = Assert.Throws<InvalidCidrException>(
            () => IpRange.Create(IPAddress.Parse("fd00::1"), IPAddress.Parse("10.0.0.1")));

        Assert.Equal("fd00::1-10.0.0.1", error.Text);
        Assert.Contains("different address families", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_WholeIpv6Space_SaturatesAtMaxValue()
    {
        Assert.Equal(UInt128.MaxValue, IpRange.Parse("::/0").Size);
        Assert.Equal(UInt128.MaxValue, IpRange.Parse("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").Size);
    }

    [Fact]
    public void Overlaps_OtherFamily_IsFalseEvenWithSameIntegers()
    {
        // 10.0.0.1 and ::a00:1 are the same integer; only the family tells them apart.
        var v4 = IpRange.Parse("10.0.0.1");
        var v6 = IpRange.Parse("::a00:1");

        Assert.Equal(v4.Start, v6.Start);
        Assert.False(v4.Overlaps(v6));
        Assert.False(v4.Overlaps(IpPrefix.Parse("::/0")));
        Assert.False(v4.Contains(IPAddress.Parse("::a00:1")));
    }

    [Fact]
    public void Overlaps_PrefixTouchingLastAddress_IsTrue()
    {
        var range = IpRange.Parse("10.0.0.1-10.0.0.64");

        Assert.True(range.Overlaps(IpPrefix.Parse("10.0.0.64/26")));
        Assert.False(range.Overlaps(IpPrefix.Parse("10.0.0.128/26")));
        Assert.True(range.Overlaps(IpRange.Parse("10.0.0.64-10.0.0.70")));
        Assert.False(range.Overlaps(IpRange.Parse("10.0.0.65-10.0.0.70")));
    }

    private static HashSet<UInt128> Members(IpRange range)
    {
        var members = new HashSet<UInt128>();
        for (var value = range.Start; ; value++)
        {
            members.Add(value);
            if (value == range.End)
            {
                return members;
            }
        }
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
