using DistIpam.Api.V1;
using DistIpam.Grains.Services;
using Grpc.Core;

namespace DistIpam.Server.Services;

/// <summary>List: consistent at a version a watch can continue from.</summary>
public sealed partial class ServicesService
{
    /// <inheritdoc />
    public override async Task<ListServicesResponse> ListServices(ListServicesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = FilterOf(request.Namespace, "", request.LabelSelector);
        var (version, snapshots) = await ListAsync(filter);
        var response = new ListServicesResponse { Version = version };
        response.Services.AddRange(snapshots.Where(s => filter.Matches(s.Service)).Select(s => ServiceProtoMapper.ToProto(s.Service)));
        return response;
    }

    /// <inheritdoc />
    public override async Task<ListEndpointSlicesResponse> ListEndpointSlices(ListEndpointSlicesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = FilterOf(request.Namespace, request.Service, "");
        var (version, snapshots) = await ListAsync(filter);
        var response = new ListEndpointSlicesResponse { Version = version };
        response.Slices.AddRange(snapshots.SelectMany(s => s.Slices).Where(filter.Matches).Select(ServiceProtoMapper.ToProto));
        return response;
    }

    private static ServiceWatchFilter FilterOf(string serviceNamespace, string service, string selector)
    {
        if (serviceNamespace.Length > 0)
        {
            ServiceRequestValidator.Name("namespace", serviceNamespace);
        }

        if (service.Length > 0)
        {
            ServiceRequestValidator.Name("service", service);
            if (serviceNamespace.Length == 0)
            {
                throw new Errors.RequestValidationException("service needs namespace");
            }
        }

        return new ServiceWatchFilter(serviceNamespace, service, ServiceLabelSelector.Parse("label_selector", selector));
    }

    /// <summary>
    /// Every service of the filter's namespace with its slices, and a version V such that the
    /// result reflects every change up to V: V is read first, and the index gains a service before
    /// its creation is published; each service grain answers after any change it is making.
    /// Replaying the events after V over the result gives the current state.
    /// </summary>
    private async Task<(long Version, IReadOnlyList<ServiceSnapshot> Snapshots)> ListAsync(ServiceWatchFilter filter)
    {
        var version = (await Feed.ReadAsync(long.MaxValue, 0)).Latest;
        var keys = await grains.GetGrain<IServiceIndexGrain>(IServiceIndexGrain.Key).ListAsync(filter.Namespace);
        if (filter.Service.Length > 0)
        {
            keys = [.. keys.Where(k => k == ServiceKey.Of(filter.Namespace, filter.Service))];
        }

        var snapshots = await Task.WhenAll(keys.Select(k => grains.GetGrain<IServiceGrain>(k).GetAsync()));
        return (version, [.. snapshots.OfType<ServiceSnapshot>()]);
    }
}
