using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Handles;

/// <summary>Comparisons and messages about what a handle holds; pure, so the handle grain keeps only its protocol.</summary>
internal static class HandleRecords
{
    /// <summary>Whether an ADD repeated for a held handle asks for what it holds.</summary>
    public static bool SameAsHeld(HandleRecord held, HandleAllocationRequest request)
    {
        if (!held.Leases.Select(l => l.Pool).SequenceEqual(request.Pools))
        {
            return false;
        }

        for (var i = 0; i < request.RequestedAddresses.Count && i < held.Leases.Count; i++)
        {
            if (request.RequestedAddresses[i] is { } wanted
                && !(System.Net.IPAddress.TryParse(wanted, out var address) && address.ToString() == held.Leases[i].Address))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="leases"/> are exactly the addresses <paramref name="expected"/> names (any order, any spelling).</summary>
    public static bool HoldsExactly(IReadOnlyList<AddressLease> leases, IReadOnlyList<string> expected) =>
        leases.Select(l => l.Address).Order(StringComparer.Ordinal)
            .SequenceEqual(expected.Select(Canonical).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public static IpamGrainException Mismatch(string handleId, HandleRecord held, HandleAllocationRequest request) => new(
        IpamErrorKind.FailedPrecondition,
        $"handle '{handleId}' already holds {string.Join(", ", held.Leases.Select(l => $"{l.Address} ({l.Pool})"))}; "
        + $"the request asks for pools [{string.Join(", ", request.Pools)}]"
        + (request.RequestedAddresses.Any(a => a is not null) ? $" and addresses [{string.Join(", ", request.RequestedAddresses.Where(a => a is not null))}]" : "")
        + "; release it first");

    /// <summary>The same allocation: pool, block, address and sequence.</summary>
    public static bool Same(AddressLease a, AddressLease b) =>
        a.Pool == b.Pool && a.Block == b.Block && a.Address == b.Address && a.Sequence == b.Sequence;

    /// <summary>The same address of the same block, under any sequence.</summary>
    public static bool SameAddress(AddressLease a, AddressLease b) =>
        a.Pool == b.Pool && a.Block == b.Block && a.Address == b.Address;

    public static string Describe(IEnumerable<AddressLease> leases) =>
        string.Join(", ", leases.Select(l => $"{l.Address} (seq {l.Sequence})"));

    public static string Addresses(IEnumerable<string> addresses) => $"[{string.Join(", ", addresses)}]";

    private static string Canonical(string address) =>
        System.Net.IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;
}
