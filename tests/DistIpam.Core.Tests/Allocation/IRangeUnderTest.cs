namespace DistIpam.Core.Tests.Allocation;

/// <summary>
/// A ClusterIP or NodePort allocator seen through positions 0..Size-1 (range offsets or ports
/// from the first), with its specification (reasons, static band) computed on the test side,
/// so one runner checks both allocators.
/// </summary>
internal interface IRangeUnderTest
{
    /// <summary>Positions 0..Size-1 are the range; -1 and Size lie outside it.</summary>
    int Size { get; }

    /// <summary>What the range is called in errors.</summary>
    string Scope { get; }

    int Capacity { get; }

    int Used { get; }

    int StaticBandSize { get; }

    /// <summary>The capacity the specification demands.</summary>
    int ExpectedCapacity { get; }

    /// <summary>The static band size the specification demands.</summary>
    int ExpectedStaticBandSize { get; }

    /// <summary>Why a position can never be allocated, or null.</summary>
    string? Reason(int position);

    /// <summary>True if an allocatable position lies in the static band.</summary>
    bool IsStatic(int position);

    /// <summary>The position as the errors spell it (address or port).</summary>
    string Text(int position);

    int Allocate(string holder);

    int AllocateSpecific(int position, string holder);

    bool Release(int position);

    string? Holder(int position);

    string SnapshotJson();

    IRangeUnderTest Restore(Random random);
}
