using System.Text.Json;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>A <see cref="ServiceRangeAllocator"/> for <see cref="RangeRun"/>: positions are offsets in the range.</summary>
internal sealed class ServiceRangeUnderTest(ServiceRangeAllocator allocator) : IRangeUnderTest
{
    private IpPrefix Range => allocator.Range;

    public int Size => (int)Range.Size;

    public string Scope => Range.ToString();

    public int Capacity => allocator.Capacity;

    public int Used => allocator.Used;

    public int StaticBandSize => allocator.StaticBandSize;

    public int ExpectedCapacity => Math.Max(0, Size - (Range.Family == IpFamily.V4 ? 2 : 1));

    public int ExpectedStaticBandSize => Math.Min(Math.Min(Math.Max(16, ExpectedCapacity / 16), 256), ExpectedCapacity);

    public string? Reason(int position) => position switch
    {
        _ when position < 0 || position >= Size => "outside the range",
        0 => "network address",
        _ when Range.Family == IpFamily.V4 && position == Size - 1 => "broadcast address",
        _ => null,
    };

    public bool IsStatic(int position) => position >= 1 && position <= ExpectedStaticBandSize;

    public string Text(int position) => AllocatorArbitraries.AddressFor(Range, position).ToString();

    public int Allocate(string holder) => PositionOf(allocator.Allocate(holder));

    public int AllocateSpecific(int position, string holder) =>
        PositionOf(allocator.AllocateSpecific(AllocatorArbitraries.AddressFor(Range, position), holder));

    public bool Release(int position) => allocator.Release(AllocatorArbitraries.AddressFor(Range, position));

    public string? Holder(int position) => allocator.Holder(AllocatorArbitraries.AddressFor(Range, position));

    public string SnapshotJson() => JsonSerializer.Serialize(allocator.ToSnapshot());

    public IRangeUnderTest Restore(Random random) =>
        new ServiceRangeUnderTest(ServiceRangeAllocator.FromSnapshot(JsonSerializer.Deserialize<ServiceRangeSnapshot>(SnapshotJson())!, random));

    private int PositionOf(System.Net.IPAddress address) =>
        Range.Contains(address) ? (int)(IpAddressMath.ToUInt128(address) - Range.First) : throw new InvalidOperationException($"{address} is outside {Range}");
}
