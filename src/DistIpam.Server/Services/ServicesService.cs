using DistIpam.Api.V1;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Services;
using DistIpam.Server.Errors;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace DistIpam.Server.Services;

/// <summary>
/// The <c>distipam.v1.Services</c> API: validates at the edge, resolves service pools, then calls
/// the service grain. List and watch live in the other parts of this class.
/// </summary>
public sealed partial class ServicesService(
    IGrainFactory grains,
    PoolDirectory pools,
    ServiceEventHub hub,
    IOptions<ServiceWatchOptions> options) : Api.V1.Services.ServicesBase
{
    private const int ServicePoolKind = 2;

    private IServiceFeedGrain Feed => grains.GetGrain<IServiceFeedGrain>(IServiceFeedGrain.Key);

    /// <inheritdoc />
    public override async Task<Api.V1.Service> CreateService(CreateServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = ServiceRequestValidator.Service(request.Service);
        spec = spec with { Pools = await ResolvePoolsAsync(request.Service.Pools) };
        var record = await Grain(request.Service.Namespace, request.Service.Name).CreateAsync(spec);
        return ServiceProtoMapper.ToProto(record);
    }

    /// <inheritdoc />
    public override async Task<Api.V1.Service> UpdateService(UpdateServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = ServiceRequestValidator.Service(request.Service);
        spec = spec with { Pools = await ResolvePoolsAsync(request.Service.Pools) };
        var record = await Grain(request.Service.Namespace, request.Service.Name).UpdateAsync(spec);
        return ServiceProtoMapper.ToProto(record);
    }

    /// <inheritdoc />
    public override async Task<DeleteServiceResponse> DeleteService(DeleteServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deleted = await Grain(
            ServiceRequestValidator.Name("namespace", request.Namespace),
            ServiceRequestValidator.Name("name", request.Name)).DeleteAsync();
        return new DeleteServiceResponse { Deleted = deleted };
    }

    /// <inheritdoc />
    public override async Task<GetServiceResponse> GetService(GetServiceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = ServiceKey.Of(ServiceRequestValidator.Name("namespace", request.Namespace), ServiceRequestValidator.Name("name", request.Name));
        var snapshot = await grains.GetGrain<IServiceGrain>(key).GetAsync()
            ?? throw new IpamGrainException(IpamErrorKind.NotFound, $"service {key} does not exist");
        var response = new GetServiceResponse { Service = ServiceProtoMapper.ToProto(snapshot.Service) };
        response.Slices.AddRange(snapshot.Slices.Select(ServiceProtoMapper.ToProto));
        return response;
    }

    /// <inheritdoc />
    public override async Task<EndpointsResponse> UpsertEndpoints(UpsertEndpointsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = Grain(request.Namespace, request.Service);
        var snapshot = await service.UpsertEndpointsAsync(ServiceRequestValidator.Endpoints(request.Endpoints));
        return EndpointsOf(snapshot);
    }

    /// <inheritdoc />
    public override async Task<EndpointsResponse> RemoveEndpoints(RemoveEndpointsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var service = Grain(request.Namespace, request.Service);
        for (var i = 0; i < request.Targets.Count; i++)
        {
            Validation.RequestValidator.Identifier($"targets[{i}]", request.Targets[i]);
        }

        return EndpointsOf(await service.RemoveEndpointsAsync([.. request.Targets]));
    }

    private static EndpointsResponse EndpointsOf(ServiceSnapshot snapshot)
    {
        var response = new EndpointsResponse();
        response.Slices.AddRange(snapshot.Slices.Select(ServiceProtoMapper.ToProto));
        return response;
    }

    private IServiceGrain Grain(string serviceNamespace, string name) =>
        grains.GetGrain<IServiceGrain>(ServiceKey.Of(
            ServiceRequestValidator.Name("namespace", serviceNamespace),
            ServiceRequestValidator.Name("service", name)));

    private async Task<IReadOnlyList<ServicePool>> ResolvePoolsAsync(Google.Protobuf.Collections.RepeatedField<string> names)
    {
        var all = await pools.AllAsync();
        var chosen = new List<ServicePool>();
        var explicitPools = names.Count > 0;
        if (explicitPools && names.Count > 2)
        {
            throw new RequestValidationException($"service.pools names {names.Count} pools; at most two (one per family) are allowed");
        }

        foreach (var name in explicitPools ? names : options.Value.ResolvedServicePools)
        {
            if (!all.TryGetValue(name, out var pool) || pool.Kind != ServicePoolKind || pool.Disabled)
            {
                if (explicitPools)
                {
                    throw new RequestValidationException($"service.pools '{name}' is not an enabled service pool");
                }

                continue;
            }

            var family = pool.Cidr.Contains(':', StringComparison.Ordinal) ? 6 : 4;
            if (chosen.Any(p => p.Family == family))
            {
                if (explicitPools)
                {
                    throw new RequestValidationException($"service.pools '{name}' is a second IPv{family} pool; name at most one per family");
                }

                continue;
            }

            chosen.Add(new ServicePool { Name = pool.Name, Cidr = pool.Cidr, Family = family });
        }

        return chosen;
    }
}
