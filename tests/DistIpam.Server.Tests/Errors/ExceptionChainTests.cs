using DistIpam.Server.Errors;

namespace DistIpam.Server.Tests.Errors;

public sealed class ExceptionChainTests
{
    [Fact]
    public void Of_NestedAndAggregate_ListsOutermostFirstThenEachMemberInOrder()
    {
        var a = new InvalidOperationException("a");
        var b = new TimeoutException("b", new ArgumentException("c"));
        var top = new InvalidOperationException("top", new AggregateException("agg", a, b));

        var messages = ExceptionChain.Of(top).Select(e => e.Message.Split(' ')[0]).ToList();

        Assert.Equal(["top", "agg", "a", "b", "c"], messages);
    }

    [Fact]
    public void Of_SameExceptionTwiceInAggregate_ListsItOnce()
    {
        var shared = new InvalidOperationException("shared");

        var chain = ExceptionChain.Of(new AggregateException(shared, shared)).ToList();

        Assert.Equal(2, chain.Count);
    }
}
