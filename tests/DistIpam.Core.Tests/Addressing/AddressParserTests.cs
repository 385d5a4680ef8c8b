using System.Net;
using FsCheck.Xunit;
using DistIpam.Core.Addressing;

namespace DistIpam.Core.Tests.Addressing;

/// <summary>The strict parser against netip's accept/refuse table (Go's netip_test.go cases, zones refused).</summary>
public class AddressParserTests
{
    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("192.168.140.255", "192.168.140.255")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("fd7a:115c:a1e0:ab12:4843:cd96:626b:430b", "fd7a:115c:a1e0:ab12:4843:cd96:626b:430b")]
    [InlineData("FD00::0001", "fd00::1")]
    [InlineData("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8")]
    [InlineData("::ffff:192.168.140.255", "::ffff:192.168.140.255")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
    [InlineData("::1.2.3.4", "::1.2.3.4")]
    [InlineData("fd00::", "fd00::")]
    public void TryParseAddress_NetipAccepts_Canonical(string text, string expected)
    {
        Assert.True(AddressParser.TryParseAddress(text, out var address, out var error), error);
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10.244.010.5")]
    [InlineData("010.0.0.1")]
    [InlineData("00.0.0.1")]
    [InlineData("1")]
    [InlineData("10.1")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.256")]
    [InlineData("1..2.3")]
    [InlineData(".1.2.3")]
    [InlineData("1.2.3.")]
    [InlineData("0x0a.0.0.1")]
    [InlineData(" 10.0.0.1")]
    [InlineData("10.0.0.1 ")]
    [InlineData("10.0.0.1\n")]
    [InlineData("１.２.３.４")]
    [InlineData("fe80::1%eth0")]
    [InlineData("%eth0")]
    [InlineData("[fd00::1]")]
    [InlineData("[fd00::1]:80")]
    [InlineData("10.0.0.1:80")]
    [InlineData("fd00::00001")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1::2::3")]
    [InlineData("1:2:3:4:5:6:7::8")]
    [InlineData(":1::")]
    [InlineData("1:")]
    [InlineData("::ffff:1.2.3")]
    [InlineData("::ffff:01.2.3.4")]
    [InlineData("1.2.3.4::")]
    [InlineData("1:2:3:4:5:1.2.3.4")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("pod")]
    [InlineData("10.0.0.1/24")]
    public void TryParseAddress_NetipRefuses_FalseWithReason(string text)
    {
        Assert.False(AddressParser.TryParseAddress(text, out var address, out var error));
        Assert.Null(address);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.5", 24)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("10.0.0.5/32", "10.0.0.5", 32)]
    [InlineData("fd00::5/128", "fd00::5", 128)]
    [InlineData("::/0", "::", 0)]
    [InlineData("::ffff:10.0.0.0/104", "::ffff:10.0.0.0", 104)]
    public void TryParsePrefix_Valid_AddressAndLength(string text, string address, int length)
    {
        Assert.True(AddressParser.TryParsePrefix(text, out var parsed, out var parsedLength, out var error), error);
        Assert.Equal(IPAddress.Parse(address), parsed);
        Assert.Equal(length, parsedLength);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("10.0.0.5/33")]
    [InlineData("fd00::5/129")]
    [InlineData("10.0.0.5/-1")]
    [InlineData("10.0.0.5/+8")]
    [InlineData("10.0.0.5/08")]
    [InlineData("10.0.0.5/00")]
    [InlineData("10.0.0.5/")]
    [InlineData("10.0.0.5/ 8")]
    [InlineData("10.0.0.5/8/8")]
    [InlineData("10.0.0.5/99999999999")]
    [InlineData("/24")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("10.0.010.0/24")]
    public void TryParsePrefix_Invalid_False(string text) =>
        Assert.False(AddressParser.TryParsePrefix(text, out _, out _, out _));

    [Fact]
    public void IpPrefixTryParse_LeadingZeroLength_Refused() =>
        Assert.False(IpPrefix.TryParse("10.0.0.0/016", out _, out _));

    [Property(MaxTest = 2000)]
    public bool TryParseAddress_AnyV4Bytes_RoundTripsItsCanonicalText(byte a, byte b, byte c, byte d)
    {
        var address = new IPAddress([a, b, c, d]);
        return AddressParser.TryParseAddress(address.ToString(), out var parsed, out _) && parsed.Equals(address);
    }

    [Property(MaxTest = 2000)]
    public bool TryParseAddress_AnyV6Bytes_RoundTripsItsCanonicalText(ulong high, ulong low)
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), high);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), low);
        var address = new IPAddress(bytes);
        return AddressParser.TryParseAddress(address.ToString(), out var parsed, out _) && parsed.Equals(address);
    }

    [Fact]
    public void Quote_LongValueWithControls_ShortEscapedPrefix()
    {
        var quoted = InputEcho.Quote("a\nb" + new string('x', 10_000));

        Assert.StartsWith("'a\\u000ab", quoted, StringComparison.Ordinal);
        Assert.Contains("(10003 characters)", quoted, StringComparison.Ordinal);
        Assert.True(quoted.Length < 120, quoted);
    }
}
