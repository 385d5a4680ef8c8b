using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Core.Addressing;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Handles;
using DistIpam.Grains.Pools;
using IpFamily = DistIpam.Core.Addressing.IpFamily;
using Route = DistIpam.Api.V1.Route;

namespace DistIpam.Server.Services;

/// <summary>Conversions between gRPC messages and grain types.</summary>
public static class ProtoMapper
{
    /// <summary>The grain key of a handle.</summary>
    public static string KeyOf(Handle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return HandleKey.Of(handle.Network, handle.ContainerId, handle.Interface);
    }

    /// <summary>The message form of a handle key.</summary>
    public static Handle HandleOf(string key)
    {
        var (network, container, ifname) = HandleKey.Parse(key);
        return new Handle { Network = network, ContainerId = container, Interface = ifname };
    }

    /// <summary>An allocated address as the main plugin should configure it.</summary>
    public static AllocatedAddress AddressOf(AddressLease lease, PoolDefinition pool)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(pool);
        var family = IpPrefix.Parse(lease.Block).Family;
        var bridged = pool.Wiring != (int)Core.Pools.PoolWiring.Routed;
        var prefix = bridged ? lease.BlockPrefixLength : IpAddressMath.BitsOf(family);
        return new AllocatedAddress
        {
            Address = $"{lease.Address}/{prefix.ToString(CultureInfo.InvariantCulture)}",
            Gateway = bridged ? lease.Gateway ?? "" : "",
            Pool = lease.Pool,
            Block = lease.Block,
            Family = family == IpFamily.V4 ? Api.V1.IpFamily.V4 : Api.V1.IpFamily.V6,
            Sequence = lease.Sequence,
        };
    }

    /// <summary>The message form of a pool.</summary>
    public static Pool PoolOf(PoolDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var pool = new Pool
        {
            Name = definition.Name,
            Cidr = definition.Cidr,
            Family = IpPrefix.Parse(definition.Cidr).Family == IpFamily.V4 ? Api.V1.IpFamily.V4 : Api.V1.IpFamily.V6,
            BlockPrefixLength = definition.BlockPrefixLength,
            Kind = (PoolKind)definition.Kind,
            StrictAffinity = definition.StrictAffinity,
            MaxBlocksPerNode = definition.MaxBlocksPerNode,
            Disabled = definition.Disabled,
            Wiring = (PoolWiring)definition.Wiring,
        };
        pool.ReservedRanges.AddRange(definition.ReservedRanges);
        pool.Routes.AddRange(definition.Routes.Select(r => new Route { Dst = r.Destination, Gw = r.Gateway ?? "" }));
        return pool;
    }

    /// <summary>The grain form of a pool message (validation happens in the catalog).</summary>
    public static PoolDefinition DefinitionOf(Pool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return new PoolDefinition
        {
            Name = pool.Name,
            Cidr = pool.Cidr,
            BlockPrefixLength = pool.BlockPrefixLength,
            Kind = pool.Kind == PoolKind.Unspecified ? (int)PoolKind.Pod : (int)pool.Kind,
            ReservedRanges = [.. pool.ReservedRanges],
            StrictAffinity = pool.StrictAffinity,
            MaxBlocksPerNode = pool.MaxBlocksPerNode,
            Disabled = pool.Disabled,
            Wiring = pool.Wiring == PoolWiring.Unspecified ? (int)PoolWiring.Bridged : (int)pool.Wiring,
            Routes = [.. pool.Routes.Select(r => new RouteDefinition { Destination = r.Dst, Gateway = string.IsNullOrEmpty(r.Gw) ? null : r.Gw })],
        };
    }
}
