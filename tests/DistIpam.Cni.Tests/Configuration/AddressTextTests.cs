using DistIpam.Cni.Configuration;

namespace DistIpam.Cni.Tests.Configuration;

public class AddressTextTests
{
    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("fd00::1")]
    [InlineData("::")]
    public void TryParseAddress_Bare_True(string text) => Assert.True(AddressText.TryParseAddress(text, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.0.0.1/24")]
    [InlineData("fe80::1%eth0")]
    [InlineData("1")]
    [InlineData("10.1")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("pod")]
    public void TryParseAddress_NotBare_False(string? text) => Assert.False(AddressText.TryParseAddress(text, out _));

    [Theory]
    [InlineData("10.0.0.5/24", "10.0.0.5", 24)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("10.0.0.5/32", "10.0.0.5", 32)]
    [InlineData("fd00::5/128", "fd00::5", 128)]
    [InlineData("::/0", "::", 0)]
    public void TryParseCidr_Valid_AddressAndPrefix(string text, string address, int prefix)
    {
        Assert.True(AddressText.TryParseCidr(text, out var parsed, out var length));
        Assert.Equal(address, parsed.ToString());
        Assert.Equal(prefix, length);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("10.0.0.5/33")]
    [InlineData("fd00::5/129")]
    [InlineData("10.0.0.5/-1")]
    [InlineData("10.0.0.5/")]
    [InlineData("/24")]
    public void TryParseCidr_Invalid_False(string text) => Assert.False(AddressText.TryParseCidr(text, out _, out _));

    [Theory]
    [InlineData("10.0.0.5", "4")]
    [InlineData("fd00::5", "6")]
    public void FamilyDigit_Address_VersionString(string text, string expected)
    {
        Assert.True(AddressText.TryParseAddress(text, out var address));
        Assert.Equal(expected, AddressText.FamilyDigit(address));
    }
}
