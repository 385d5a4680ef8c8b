namespace DistIpam.Bench.Scenarios;

/// <summary>Sizes of the fill scenario.</summary>
/// <param name="PoolPrefixLength">The IPv4 pool (and host-local subnet) prefix length.</param>
/// <param name="BlockPrefixLength">The pool's block prefix length.</param>
/// <param name="FillPercent">How full each plugin's range gets.</param>
/// <param name="BandPercent">The width of a utilization band.</param>
public sealed record FillOptions(int PoolPrefixLength, int BlockPrefixLength, int FillPercent, int BandPercent)
{
    /// <summary>A /20 with /26 blocks (about 3,900 ADDs per plugin), or a /27 with /28 blocks for a smoke run.</summary>
    public static FillOptions For(bool smoke, int? poolPrefixLength) =>
        smoke ? new(poolPrefixLength ?? 27, 28, 95, 5) : new(poolPrefixLength ?? 20, 26, 95, 5);
}
