using DistIpam.Server.Security;

namespace DistIpam.Security.Tests.Unit;

public sealed class TokenTableTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "distipam-tokens-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Load_ValidFile_FindsEachIdentity()
    {
        File.WriteAllLines(_path, ["# comment", "aaaaaaaaaaaaaaaa1 node worker-1", "", "bbbbbbbbbbbbbbbb2 admin ops # trailing"]);

        var table = TokenTable.Load(_path);

        Assert.Equal(2, table.Count);
        Assert.Equal(new CallerIdentity("worker-1", CallerRole.Node, "token"), table.Find("aaaaaaaaaaaaaaaa1"));
        Assert.Equal(CallerRole.Admin, table.Find("bbbbbbbbbbbbbbbb2")?.Role);
        Assert.Null(table.Find("aaaaaaaaaaaaaaaa"));
    }

    [Theory]
    [InlineData("secret-token-value-1 superuser ops")]
    [InlineData("secret-token-value-1 node")]
    [InlineData("tiny node n1")]
    [InlineData("secret-token-value-1 node bad/name")]
    public void Load_MalformedLine_FormatExceptionNamingLineNotToken(string line)
    {
        File.WriteAllLines(_path, ["# first", line]);

        var e = Assert.Throws<FormatException>(() => TokenTable.Load(_path));

        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(line.Split(' ')[0], e.Message, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => File.Delete(_path);
}
