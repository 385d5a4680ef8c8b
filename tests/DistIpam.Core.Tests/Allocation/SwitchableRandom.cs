namespace DistIpam.Core.Tests.Allocation;

/// <summary>
/// A <see cref="Random"/> whose stream can be replaced mid-run, so an allocator and its restored
/// copy can be given identical random streams from the moment of the snapshot on.
/// </summary>
internal sealed class SwitchableRandom(Random inner) : Random
{
    public Random Inner { get; set; } = inner;

    public override int Next() => Inner.Next();

    public override int Next(int maxValue) => Inner.Next(maxValue);

    public override int Next(int minValue, int maxValue) => Inner.Next(minValue, maxValue);

    public override long NextInt64() => Inner.NextInt64();

    public override long NextInt64(long maxValue) => Inner.NextInt64(maxValue);

    public override long NextInt64(long minValue, long maxValue) => Inner.NextInt64(minValue, maxValue);

    public override double NextDouble() => Inner.NextDouble();

    public override float NextSingle() => Inner.NextSingle();

    public override void NextBytes(byte[] buffer) => Inner.NextBytes(buffer);

    public override void NextBytes(Span<byte> buffer) => Inner.NextBytes(buffer);

    protected override double Sample() => Inner.NextDouble();
}
