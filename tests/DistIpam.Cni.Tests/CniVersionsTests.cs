namespace DistIpam.Cni.Tests;

public class CniVersionsTests
{
    [Theory]
    [InlineData("0.3.0")]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    [InlineData("1.1.0")]
    public void IsSupported_SpecVersion_True(string version) => Assert.True(CniVersions.IsSupported(version));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0.1.0")]
    [InlineData("0.2.0")]
    [InlineData("1.2.0")]
    [InlineData("1.0")]
    public void IsSupported_OtherVersion_False(string? version) => Assert.False(CniVersions.IsSupported(version));

    [Theory]
    [InlineData("0.3.1", "0.4.0", -1)]
    [InlineData("0.4.0", "0.4.0", 0)]
    [InlineData("1.0.0", "0.4.0", 1)]
    [InlineData("0.10.0", "0.9.0", 1)]
    [InlineData("1.1.0", "1.0.0", 1)]
    public void Compare_Versions_OrdersNumerically(string left, string right, int expected) =>
        Assert.Equal(expected, Math.Sign(CniVersions.Compare(left, right)));

    [Fact]
    public void Supported_Always_EndsWithLatest() => Assert.Equal(CniVersions.Latest, CniVersions.Supported[^1]);
}
