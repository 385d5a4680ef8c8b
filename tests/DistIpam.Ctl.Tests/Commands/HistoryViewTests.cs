using DistIpam.Api.V1;
using DistIpam.Ctl.Commands;

namespace DistIpam.Ctl.Tests.Commands;

public sealed class HistoryViewTests
{
    private static readonly HistoryEntry[] Events =
    [
        new() { Kind = "allocated", AtUnixMs = 100, Address = "10.0.0.5", Sequence = 1, Handle = "a" },
        new() { Kind = "released", AtUnixMs = 200, Address = "10.0.0.5", Sequence = 1, Handle = "a" },
        new() { Kind = "allocated", AtUnixMs = 300, Address = "10.0.0.5", Sequence = 2, Handle = "b" },
        // b's release was never recorded; c's newer allocation implies it.
        new() { Kind = "allocated", AtUnixMs = 500, Address = "10.0.0.5", Sequence = 3, Handle = "c" },
    ];

    [Theory]
    [InlineData(99, null)]
    [InlineData(100, "a")]
    [InlineData(199, "a")]
    [InlineData(250, null)]
    [InlineData(300, "b")]
    [InlineData(499, "b")]
    [InlineData(10_000, "c")]
    public void HolderAt_Time_TheAllocationThenInForce(long at, string? expected)
    {
        Assert.Equal(expected, HistoryView.HolderAt(Events, at)?.Handle);
    }
}
