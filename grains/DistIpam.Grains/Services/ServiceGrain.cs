using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistIpam.Grains.Services;

/// <summary>
/// One service; see <see cref="IServiceGrain"/>. Not reentrant. Every change follows one path:
/// publish a durable change the feed does not have yet, allocate what is new (rolled back on
/// failure), write the state with the change's events, append them to the feed (which versions
/// them), then release what is no longer held. What a failure leaves held is freed by the
/// reconciliation (<see cref="IServiceReconcilerGrain"/>).
/// </summary>
public sealed partial class ServiceGrain(
    [PersistentState("service", StorageNames.Ipam)] IPersistentState<ServiceState> state,
    IOptions<ServiceOptions> options,
    ILogger<ServiceGrain> logger) : Grain, IServiceGrain
{
    private string Key => this.GetPrimaryKeyString();

    private string Namespace => ServiceKey.Parse(Key).Namespace;

    private string Name => ServiceKey.Parse(Key).Name;

    private IServiceFeedGrain Feed => GrainFactory.GetGrain<IServiceFeedGrain>(IServiceFeedGrain.Key);

    private IServiceIndexGrain Index => GrainFactory.GetGrain<IServiceIndexGrain>(IServiceIndexGrain.Key);

    /// <inheritdoc />
    public async Task<ServiceRecord> CreateAsync(ServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await PrepareAsync();
        if (state.State.Record is not null)
        {
            throw new IpamGrainException(IpamErrorKind.AlreadyExists, $"service {Key} already exists");
        }

        var plan = ServicePlanner.Plan(Key, request, null);
        var taken = new Taken();
        ServiceRecord record;
        try
        {
            var ips = await AllocateIpsAsync(plan, null, taken);
            var ports = await AllocateNodePortsAsync(plan, request, null, taken);
            record = new ServiceRecord
            {
                Namespace = Namespace,
                Name = Name,
                Type = plan.Type,
                Policy = plan.Policy,
                Families = plan.Families,
                ClusterIps = ips,
                Pools = plan.Type == ServiceType.Headless ? [] : [.. plan.Pools.Select(p => p.Name)],
                Ports = ports,
                Labels = request.Labels,
            };

            // Before the creation is published, so List (which reads the index after the version)
            // never misses a service that exists at its version.
            await Index.AddAsync(Key);
        }
        catch (Exception e)
        {
            await RollbackAsync(taken, e);
            throw;
        }

        var next = new ServiceState { Record = record };
        await CommitAsync(next, [new ServiceEvent { Type = ServiceEventType.Added, Service = record }], delete: false);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var ips = string.Join(", ", next.Record!.ClusterIps);
            LogCreated(Key, ips, next.Record.Version);
        }

        return next.Record;
    }

    /// <inheritdoc />
    public async Task<ServiceRecord> UpdateAsync(ServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        await PrepareAsync();
        var current = state.State.Record ?? throw NotFound();
        var plan = ServicePlanner.Plan(Key, request, current);
        var taken = new Taken();
        ServiceRecord record;
        try
        {
            var ips = await AllocateIpsAsync(plan, current, taken);
            var ports = await AllocateNodePortsAsync(plan, request, current, taken);
            record = current with
            {
                Type = plan.Type,
                Policy = plan.Policy,
                Families = plan.Families,
                ClusterIps = ips,
                Pools = plan.Type == ServiceType.Headless ? [] : [.. plan.Pools.Select(p => p.Name)],
                Ports = ports,
                Labels = request.Labels,
            };
        }
        catch (Exception e)
        {
            await RollbackAsync(taken, e);
            throw;
        }

        if (SameSpec(record, current))
        {
            return current;
        }

        var next = state.State.Clone();
        next.Record = record;
        await CommitAsync(next, [new ServiceEvent { Type = ServiceEventType.Modified, Service = record }], delete: false);
        await ReleaseUnheldAsync(current, next.Record);
        return next.Record!;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync()
    {
        await PrepareAsync();
        if (state.State.Record is not { } current)
        {
            return false;
        }

        var events = state.State.Slices
            .Select(s => new ServiceEvent { Type = ServiceEventType.Deleted, Slice = SliceRecord(state.State, s) })
            .Append(new ServiceEvent { Type = ServiceEventType.Deleted, Service = current })
            .ToList();
        await CommitAsync(new ServiceState(), events, delete: true);
        await ReleaseUnheldAsync(current, null);
        try
        {
            await Index.RemoveAsync(Key);
        }
        catch (Exception e)
        {
            LogIndexRemoveFailed(e, Key);
        }

        LogDeleted(Key);
        DeactivateOnIdle();
        return true;
    }

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A change written by an activation that died before publishing it.
        await TryPublishAsync();
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_publishedNotWritten || _broken)
        {
            return;
        }

        // Record the versions and that the last change is in the feed, so the next activation
        // does not publish it again.
        try
        {
            await (state.State.Record is null ? state.ClearStateAsync(cancellationToken) : state.WriteStateAsync(cancellationToken));
        }
        catch (Exception e)
        {
            LogStampFailed(e, Key);
        }
    }

    /// <inheritdoc />
    public async Task<ServiceSnapshot?> GetAsync()
    {
        ThrowIfBroken();

        // Best effort: a List may show a change before it is in the feed (docs/services.md).
        await TryPublishAsync();
        return Snapshot();
    }

    /// <inheritdoc />
    public async Task<ServiceHoldings> HoldingsAsync()
    {
        ThrowIfBroken();
        await TryPublishAsync();
        return state.State.Record is { } record
            ? new ServiceHoldings { ClusterIps = record.ClusterIps, NodePorts = [.. record.Ports.Select(p => p.NodePort).Where(p => p > 0).Distinct()] }
            : ServiceHoldings.None;
    }

    /// <inheritdoc />
    public async Task<bool> PublishPendingAsync()
    {
        ThrowIfBroken();
        var pending = state.State.Unpublished.Count > 0;
        await PublishAsync();
        return pending;
    }

    // Every change starts here: an earlier durable change goes to the feed first, so the feed
    // keeps this service's changes in order.
    private async Task PrepareAsync()
    {
        ThrowIfBroken();
        await PublishAsync();
    }

    private static bool SameSpec(ServiceRecord a, ServiceRecord b) =>
        a.Type == b.Type && a.Policy == b.Policy && a.Families.SequenceEqual(b.Families) && a.ClusterIps.SequenceEqual(b.ClusterIps)
        && a.Pools.SequenceEqual(b.Pools) && a.Ports.SequenceEqual(b.Ports)
        && a.Labels.Count == b.Labels.Count && a.Labels.All(l => b.Labels.TryGetValue(l.Key, out var v) && v == l.Value);

    private ServiceSnapshot? Snapshot() => state.State.Record is { } record
        ? new ServiceSnapshot { Service = record, Slices = [.. state.State.Slices.Select(s => SliceRecord(state.State, s))] }
        : null;

    private EndpointSliceRecord SliceRecord(ServiceState source, SliceState slice) => new()
    {
        Namespace = Namespace,
        Service = Name,
        Name = slice.Name,
        Family = slice.Family,
        Endpoints = [.. slice.Targets.Order(StringComparer.Ordinal).Select(t => SliceAssigner.Project(source.Endpoints[t], slice.Family))],
        Version = slice.Version,
    };

    private IpamGrainException NotFound() => new(IpamErrorKind.NotFound, $"service {Key} does not exist");
}
