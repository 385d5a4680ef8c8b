using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;
using DistIpam.Server.Errors;
using DistIpam.Server.Services;

namespace DistIpam.Server.History;

/// <summary>Finds an address's pool, block and current allocation (parsed with Core's one strict parser).</summary>
public sealed class AddressLocator(IGrainFactory grains, PoolDirectory pools)
{
    /// <summary>The canonical form of <paramref name="text"/>; INVALID_ARGUMENT naming it otherwise.</summary>
    public static string Canonical(string text) =>
        IpAddressMath.TryParseAddress(text ?? "", out var address, out var error)
            ? address.ToString()
            : throw new RequestValidationException($"address '{text}' is not an IP address: {error}");

    /// <summary>Where <paramref name="text"/> stands now; NOT_FOUND when no pool contains it.</summary>
    public async Task<Location> LocateAsync(string text)
    {
        var canonical = Canonical(text);
        var address = System.Net.IPAddress.Parse(canonical);
        foreach (var definition in (await pools.AllAsync()).Values)
        {
            var spec = PoolDefinitionMapper.ToSpec(definition);
            if (!spec.Cidr.Contains(address))
            {
                continue;
            }

            var block = spec.Cidr.BlockOf(address, spec.BlockPrefixLength).ToString();
            var grain = grains.GetGrain<IBlockGrain>(BlockKey.Of(definition.Name, block));
            var usage = await grain.GetUsageAsync();
            var lease = usage.Owner is null ? null : (await grain.ListAllocationsAsync()).FirstOrDefault(l => l.Address == canonical);
            return new Location(canonical, definition.Name, block, usage.Owner, lease);
        }

        throw new IpamGrainException(IpamErrorKind.NotFound, $"no pool contains address {canonical}");
    }

    /// <summary>An address's place and holder.</summary>
    /// <param name="Address">Canonical text.</param>
    /// <param name="Pool">The pool containing it.</param>
    /// <param name="Block">The block CIDR containing it.</param>
    /// <param name="BlockOwner">The node owning the block, or null when unclaimed.</param>
    /// <param name="Lease">The current allocation, or null when free.</param>
    public sealed record Location(string Address, string Pool, string Block, string? BlockOwner, AddressLease? Lease);
}
