using System.Net;
using DistIpam.Core.Addressing;

namespace DistIpam.Chaos.Tests.Observation;

/// <summary>A pool's CIDR and reserved ranges, as Pools.ListPools reports them (for invariant 5).</summary>
internal sealed record PoolView(string Name, IpPrefix Cidr, IReadOnlyList<IpRange> Reserved)
{
    /// <summary>Builds the view from the API's pool.</summary>
    public static PoolView From(Api.V1.Pool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PoolView(pool.Name, IpPrefix.Parse(pool.Cidr), [.. pool.ReservedRanges.Select(IpRange.Parse)]);
    }

    /// <summary>Null when <paramref name="address"/> may be handed out from this pool, else why not.</summary>
    public string? Refuses(string address)
    {
        if (!IPAddress.TryParse(address.Split('/')[0], out var parsed))
        {
            return $"'{address}' is not an address";
        }

        if (!Cidr.Contains(parsed))
        {
            return $"{address} is outside pool {Name} ({Cidr})";
        }

        var value = IpAddressMath.ToUInt128(parsed);
        var reserved = Reserved.FirstOrDefault(r => value >= r.Start && value <= r.End && r.Family == Cidr.Family);
        return reserved == default ? null : $"{address} is inside reserved range {reserved} of pool {Name}";
    }
}
