using System.Net;
using DistIpam.Api.V1;
using DistIpam.Core.Addressing;
using DistIpam.Core.Pools;
using PoolKind = DistIpam.Core.Pools.PoolKind;
using DistIpam.Grains.Pools;
using DistIpam.Server.Errors;
using DistIpam.Server.Hosting;
using DistIpam.Server.Validation;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Services;

/// <summary>
/// Turns an Allocate request into pools and requested addresses, one per family, rejecting
/// anything ambiguous before any grain is touched (so a refused request changes nothing).
/// </summary>
public sealed class AllocationPlanner(PoolDirectory pools, IOptions<DistIpamOptions> options)
{
    /// <summary>The pools (in order) and the requested address for each (or null).</summary>
    public async Task<(IReadOnlyList<PoolDefinition> Pools, IReadOnlyList<string?> Requested)> PlanAsync(AllocateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var names = request.Pools.Count > 0 ? [.. request.Pools] : options.Value.DefaultPodPools;
        if (names.Count == 0)
        {
            throw new RequestValidationException("pools is empty and the server has no DefaultPodPools configured");
        }

        var chosen = new List<(PoolDefinition Definition, PoolSpec Spec)>();
        foreach (var name in names)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new RequestValidationException("pools contains an empty name");
            }

            var definition = await pools.GetAsync(name);
            var spec = PoolDefinitionMapper.ToSpec(definition);
            if (spec.Kind != PoolKind.Pod)
            {
                throw new RequestValidationException($"pool '{name}' is a {spec.Kind} pool; pods allocate from Pod pools");
            }

            if (chosen.Any(c => c.Spec.Family == spec.Family))
            {
                throw new RequestValidationException($"pools names two {spec.Family} pools ('{chosen.First(c => c.Spec.Family == spec.Family).Definition.Name}' and '{name}'); at most one per family");
            }

            chosen.Add((definition, spec));
        }

        var requested = new string?[chosen.Count];
        foreach (var text in request.RequestedIps)
        {
            var address = RequestValidator.AddressOrPrefix("requested_ips", text);
            var family = IpAddressMath.FamilyOf(address);
            var index = chosen.FindIndex(c => c.Spec.Family == family);
            if (index < 0)
            {
                throw new RequestValidationException($"requested_ips '{text}' is {family} but no {family} pool is being allocated from ({string.Join(", ", names)})");
            }

            if (requested[index] is not null)
            {
                throw new RequestValidationException($"requested_ips has two {family} addresses ('{requested[index]}' and '{text}'); at most one per family");
            }

            if (!chosen[index].Spec.Cidr.Contains(address))
            {
                throw new RequestValidationException($"requested_ips '{text}' is outside pool '{chosen[index].Definition.Name}' ({chosen[index].Spec.Cidr})");
            }

            requested[index] = address.ToString();
        }

        return ([.. chosen.Select(c => c.Definition)], requested);
    }
}
