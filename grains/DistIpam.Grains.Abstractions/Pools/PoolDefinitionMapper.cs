using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Core.Pools;

namespace DistIpam.Grains.Pools;

/// <summary>Converts a stored/wire <see cref="PoolDefinition"/> into Core's validated <see cref="PoolSpec"/>.</summary>
public static class PoolDefinitionMapper
{
    /// <summary>
    /// Parses and validates; throws <see cref="InvalidCidrException"/> or
    /// <see cref="InvalidPoolException"/> naming the field. A block prefix length of 0 takes the
    /// family default (/26, /122).
    /// </summary>
    public static PoolSpec ToSpec(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!IpPrefix.TryParse(definition.Cidr, out var cidr, out var cidrError))
        {
            throw new InvalidPoolException(definition.Name, "cidr", definition.Cidr ?? "", cidrError!);
        }

        var reserved = new List<IpRange>();
        foreach (var text in definition.ReservedRanges)
        {
            if (!IpRange.TryParse(text, out var range, out var rangeError))
            {
                throw new InvalidPoolException(definition.Name, "reservedRanges", text, rangeError!);
            }

            reserved.Add(range);
        }

        var spec = new PoolSpec
        {
            Name = definition.Name,
            Cidr = cidr,
            BlockPrefixLength = definition.BlockPrefixLength == 0
                ? PoolSpec.DefaultBlockPrefixLength(cidr.Family)
                : definition.BlockPrefixLength,
            Kind = Enum.IsDefined((PoolKind)definition.Kind)
                ? (PoolKind)definition.Kind
                : throw new InvalidPoolException(definition.Name, "kind", definition.Kind.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be Pod or Service"),
            ReservedRanges = reserved,
            StrictAffinity = definition.StrictAffinity,
            MaxBlocksPerNode = definition.MaxBlocksPerNode,
            Disabled = definition.Disabled,
            Wiring = Enum.IsDefined((PoolWiring)definition.Wiring)
                ? (PoolWiring)definition.Wiring
                : throw new InvalidPoolException(definition.Name, "wiring", definition.Wiring.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be Bridged or Routed"),
        };
        PoolValidator.Validate(spec);
        foreach (var route in definition.Routes)
        {
            if (!IpPrefix.TryParse(route.Destination, out _, out var routeError))
            {
                throw new InvalidPoolException(definition.Name, "routes", route.Destination, routeError!);
            }
        }

        return spec;
    }

    /// <summary>The canonical definition of a validated spec (CIDR and ranges in canonical text).</summary>
    public static PoolDefinition Canonical(PoolDefinition definition)
    {
        var spec = ToSpec(definition);
        return definition with
        {
            Cidr = spec.Cidr.ToString(),
            BlockPrefixLength = spec.BlockPrefixLength,
            ReservedRanges = [.. spec.ReservedRanges.Select(r => r.ToString())],
        };
    }

    /// <summary>True if every field is equal (a repeated create of the same pool).</summary>
    public static bool SameDefinition(PoolDefinition a, PoolDefinition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Name == b.Name && SameImmutableFields(a, b) && a.StrictAffinity == b.StrictAffinity
            && a.MaxBlocksPerNode == b.MaxBlocksPerNode && a.Disabled == b.Disabled
            && a.ReservedRanges.SequenceEqual(b.ReservedRanges, StringComparer.Ordinal) && a.Routes.SequenceEqual(b.Routes);
    }

    /// <summary>True if the fields that cannot change on a live pool are equal.</summary>
    public static bool SameImmutableFields(PoolDefinition a, PoolDefinition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Cidr == b.Cidr && a.BlockPrefixLength == b.BlockPrefixLength && a.Kind == b.Kind && a.Wiring == b.Wiring;
    }
}
