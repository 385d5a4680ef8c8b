using System.Globalization;
using System.Text.Json;
using DistIpam.Core.Allocation;

namespace DistIpam.Core.Tests.Allocation;

/// <summary>A <see cref="PortRangeAllocator"/> for <see cref="RangeRun"/>: positions are ports minus the first.</summary>
internal sealed class PortRangeUnderTest(PortRangeAllocator allocator) : IRangeUnderTest
{
    public int Size => allocator.Last - allocator.First + 1;

    public string Scope => $"{allocator.First}-{allocator.Last}";

    public int Capacity => allocator.Capacity;

    public int Used => allocator.Used;

    public int StaticBandSize => allocator.StaticBandSize;

    public int ExpectedCapacity => Size;

    public int ExpectedStaticBandSize => Math.Min(Math.Min(Math.Max(16, Size / 32), 128), Size);

    public string? Reason(int position) => position < 0 || position >= Size ? "outside the range" : null;

    public bool IsStatic(int position) => position < ExpectedStaticBandSize;

    public string Text(int position) => (allocator.First + position).ToString(CultureInfo.InvariantCulture);

    public int Allocate(string holder) => allocator.Allocate(holder) - allocator.First;

    public int AllocateSpecific(int position, string holder) => allocator.AllocateSpecific(allocator.First + position, holder) - allocator.First;

    public bool Release(int position) => allocator.Release(allocator.First + position);

    public string? Holder(int position) => allocator.Holder(allocator.First + position);

    public string SnapshotJson() => JsonSerializer.Serialize(allocator.ToSnapshot());

    public IRangeUnderTest Restore(Random random) =>
        new PortRangeUnderTest(PortRangeAllocator.FromSnapshot(JsonSerializer.Deserialize<PortRangeSnapshot>(SnapshotJson())!, random));
}
