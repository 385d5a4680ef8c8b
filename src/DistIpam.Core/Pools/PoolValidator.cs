using System.Buffers;
using System.Globalization;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;

namespace DistIpam.Core.Pools;

/// <summary>
/// Decides whether a <see cref="PoolSpec"/> may be created or applied. Every rejection is an
/// <see cref="InvalidPoolException"/> naming the pool, the field (camelCase, as in the API) and
/// the offending value, so an operator can fix the input without reading code.
/// </summary>
public static class PoolValidator
{
    // A DNS-1123 label, so a pool name can appear in labels, metric values and host names.
    private const int MaxNameLength = 63;

    // Calico's limits: a block is one grain's state and one node's share of the pool, so blocks
    // above 4,096 addresses (/20, /116) make both too coarse.
    private const int MinBlockPrefixLengthV4 = 20;
    private const int MinBlockPrefixLengthV6 = 116;

    // Network and (IPv4) broadcast addresses of every block are never handed out, so pools this
    // small hold no allocatable address at all.
    private const int MaxPoolPrefixLengthV4 = 30;
    private const int MaxPoolPrefixLengthV6 = 126;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>
    /// Checks <paramref name="spec"/> on its own: name, CIDR, block prefix length, reserved
    /// ranges, MaxBlocksPerNode, kind and wiring. Throws <see cref="InvalidPoolException"/> for
    /// the first field that is wrong.
    /// </summary>
    public static void Validate(PoolSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = spec.Name ?? "";
        ValidateName(name);
        ValidateCidr(name, spec.Cidr);
        ValidateBlockPrefixLength(name, spec.Cidr, spec.BlockPrefixLength);
        foreach (var range in spec.ReservedRanges ?? [])
        {
            ValidateReservedRange(name, spec.Cidr, range);
        }

        if (spec.MaxBlocksPerNode < 0)
        {
            throw Invalid(name, "maxBlocksPerNode", Text(spec.MaxBlocksPerNode), "must be 0 (unlimited) or more");
        }

        if (spec.Kind is not (PoolKind.Pod or PoolKind.Service))
        {
            throw Invalid(name, "kind", Text((int)spec.Kind), "must be Pod or Service");
        }

        if (spec.Wiring is not (PoolWiring.Bridged or PoolWiring.Routed))
        {
            throw Invalid(name, "wiring", Text((int)spec.Wiring), "must be Bridged or Routed");
        }
    }

    /// <summary>
    /// Checks <paramref name="candidate"/> with <see cref="Validate"/> and against the pools
    /// that already exist: it must not overlap any pool of its family, whatever its kind or
    /// state (a disabled pool still holds allocations). An existing pool with the candidate's
    /// name is skipped, as that is the candidate's own earlier version being updated; whether a
    /// duplicate name means create-conflict or update is the caller's decision.
    /// </summary>
    public static void ValidateAgainst(PoolSpec candidate, IEnumerable<PoolSpec> existing)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(existing);
        Validate(candidate);
        foreach (var other in existing)
        {
            if (other is null || string.Equals(other.Name, candidate.Name, StringComparison.Ordinal))
            {
                continue;
            }

            if (other.Cidr.Overlaps(candidate.Cidr))
            {
                throw Invalid(
                    candidate.Name,
                    "cidr",
                    candidate.Cidr.ToString(),
                    $"overlaps pool '{other.Name}' ({other.Cidr}); pools of one family must not share addresses");
            }
        }
    }

    private static void ValidateName(string name)
    {
        // DNS-1123 label: lowercase alphanumerics and '-', starting and ending alphanumeric.
        var valid = name.Length is > 0 and <= MaxNameLength
            && !name.AsSpan().ContainsAnyExcept(NameCharacters)
            && name[0] != '-'
            && name[^1] != '-';
        if (!valid)
        {
            throw Invalid(
                name,
                "name",
                name,
                $"must be 1-{MaxNameLength} lowercase letters, digits or '-', starting and ending with a letter or digit");
        }
    }

    private static void ValidateCidr(string pool, IpPrefix cidr)
    {
        // default(IpPrefix) has no family: the field was never set.
        if (cidr.Family is not (IpFamily.V4 or IpFamily.V6))
        {
            throw Invalid(pool, "cidr", "", "must be set to an IPv4 or IPv6 CIDR");
        }

        if (cidr.Family == IpFamily.V4 && cidr.PrefixLength > MaxPoolPrefixLengthV4)
        {
            throw Invalid(
                pool,
                "cidr",
                cidr.ToString(),
                $"an IPv4 pool must be /{MaxPoolPrefixLengthV4} or larger: /31 and /32 leave no allocatable address once network and broadcast addresses are excluded");
        }

        if (cidr.Family == IpFamily.V6 && cidr.PrefixLength > MaxPoolPrefixLengthV6)
        {
            throw Invalid(
                pool,
                "cidr",
                cidr.ToString(),
                $"an IPv6 pool must be /{MaxPoolPrefixLengthV6} or larger: /127 and /128 leave too few allocatable addresses once the network address is excluded");
        }
    }

    private static void ValidateBlockPrefixLength(string pool, IpPrefix cidr, int blockPrefixLength)
    {
        var (min, max, family) = cidr.Family == IpFamily.V4
            ? (MinBlockPrefixLengthV4, 32, "IPv4")
            : (MinBlockPrefixLengthV6, 128, "IPv6");
        if (blockPrefixLength < min || blockPrefixLength > max)
        {
            throw Invalid(
                pool,
                "blockPrefixLength",
                Text(blockPrefixLength),
                $"must be between {min} and {max} for an {family} pool");
        }

        if (blockPrefixLength < cidr.PrefixLength)
        {
            throw Invalid(
                pool,
                "blockPrefixLength",
                Text(blockPrefixLength),
                $"a block must fit inside the pool {cidr}: use /{Text(cidr.PrefixLength)} or longer");
        }
    }

    private static void ValidateReservedRange(string pool, IpPrefix cidr, IpRange range)
    {
        if (range.Family != cidr.Family)
        {
            throw Invalid(
                pool,
                "reservedRanges",
                range.Family is IpFamily.V4 or IpFamily.V6 ? range.ToString() : "",
                $"is not of the pool's family ({Describe(cidr.Family)}, {cidr})");
        }

        if (!cidr.Contains(range.Start) || !cidr.Contains(range.End))
        {
            throw Invalid(pool, "reservedRanges", range.ToString(), $"lies outside the pool's CIDR {cidr}");
        }
    }

    private static InvalidPoolException Invalid(string pool, string field, string value, string reason) =>
        new(pool, field, value, reason);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(IpFamily family) => family == IpFamily.V4 ? "IPv4" : "IPv6";
}
