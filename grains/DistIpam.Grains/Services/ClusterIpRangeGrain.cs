using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Allocation;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace DistIpam.Grains.Services;

/// <summary>
/// The ClusterIPs of one service pool: <see cref="ServiceRangeAllocator"/> behind a reentrant grain
/// with group commit (<see cref="WriteBatcher"/>): callers mutate in order and await the write
/// that covers their change.
/// </summary>
[Reentrant]
public sealed class ClusterIpRangeGrain : Grain, IClusterIpRangeGrain
{
    private readonly IPersistentState<ClusterIpRangeState> _state;
    private readonly WriteBatcher _writer;
    private readonly HolderIndex<IPAddress> _held = new();
    private readonly TimeSpan _grace;
    private HeldValueReconciler<IPAddress>? _reconciler;
    private Task<IReadOnlyList<HeldValue>>? _reconciling;
    private ServiceRangeAllocator? _allocator;

    /// <summary>Creates the grain.</summary>
    public ClusterIpRangeGrain(
        [PersistentState("cluster-ips", StorageNames.Ipam)] IPersistentState<ClusterIpRangeState> state,
        IOptions<ServiceOptions> options,
        IOptions<IpamGrainOptions> grainOptions,
        ILogger<ClusterIpRangeGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(grainOptions);
        _state = state;
        _grace = options.Value.ReconcileGracePeriod;
        _writer = new WriteBatcher(this.GetGrainId().ToString(), WriteAsync, DeactivateOnIdle, grainOptions.Value.UnsafeBrokenVariant, logger);
    }

    private string Pool => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reconciler = new HeldValueReconciler<IPAddress>(ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System, _grace);
        if (_state.State.Range is { } range)
        {
            var entries = _state.State.Offsets.Zip(_state.State.Holders, (o, h) => new ServiceRangeSnapshotEntry(o, h)).ToList();
            _allocator = ServiceRangeAllocator.FromSnapshot(new ServiceRangeSnapshot(range, entries), Random.Shared);
            foreach (var entry in entries)
            {
                _held.Add(entry.Holder, _allocator.Range.AddressAt((UInt128)entry.Offset));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<string> AllocateAsync(string cidr, string holder, string? requested)
    {
        _writer.ThrowIfFailed();
        _reconciler!.HandedOut(holder);
        var allocator = AllocatorFor(cidr);
        try
        {
            if (requested is not null)
            {
                var address = IPAddress.Parse(requested);
                if (allocator.Holder(address) == holder)
                {
                    await _writer.WhenDurableAsync();
                    return address.ToString();
                }

                allocator.AllocateSpecific(address, holder);
                _held.Add(holder, address);
                await _writer.CommitAsync();
                return address.ToString();
            }

            // Idempotent per holder: a service holds one ClusterIP per pool, so a retried create
            // (its reply lost, or its state write failed) gets the address it already took instead
            // of a second one.
            if (_held.Of(holder) is [var held, ..])
            {
                await _writer.WhenDurableAsync();
                return held.ToString();
            }

            var taken = allocator.Allocate(holder);
            _held.Add(holder, taken);
            await _writer.CommitAsync();
            return taken.ToString();
        }
        catch (IpamException e)
        {
            throw new IpamGrainException(e.Kind, $"service pool '{Pool}': {e.Message}");
        }
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseAsync(string holder, string address)
    {
        _writer.ThrowIfFailed();
        var ip = IPAddress.Parse(address);
        if (_allocator is not { } allocator || allocator.Holder(ip) != holder)
        {
            await _writer.WhenDurableAsync();
            return false;
        }

        allocator.Release(ip);
        _held.Remove(holder, ip);
        await _writer.CommitAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseUnheldAsync(string holder, string address)
    {
        _writer.ThrowIfFailed();
        if (!await _reconciler!.FreeIfUnheldAsync(IPAddress.Parse(address), holder, AskHolderAsync, Free))
        {
            await _writer.WhenDurableAsync();
            return false;
        }

        await _writer.CommitAsync();
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<HeldValue>> ListAsync()
    {
        await _writer.WhenDurableAsync();
        if (_allocator is not { } allocator)
        {
            return [];
        }

        return [.. allocator.ToSnapshot().Allocations.Select(e => new HeldValue
        {
            Value = allocator.Range.AddressAt((UInt128)e.Offset).ToString(),
            Holder = e.Holder,
        })];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<HeldValue>> ReconcileAsync()
    {
        _writer.ThrowIfFailed();
        if (_reconciling is { IsCompleted: false } running)
        {
            return running;
        }

        _reconciling = ReconcileOnceAsync();
        return _reconciling;
    }

    private async Task<IReadOnlyList<HeldValue>> ReconcileOnceAsync()
    {
        if (_allocator is not { } allocator)
        {
            return [];
        }

        var held = allocator.ToSnapshot().Allocations
            .Select(e => (allocator.Range.AddressAt((UInt128)e.Offset), e.Holder))
            .ToList();
        var freed = await _reconciler!.ReviewAsync(held, AskHolderAsync, Free);
        if (freed.Count > 0)
        {
            await _writer.CommitAsync();
        }

        return [.. freed.Select(f => new HeldValue { Value = f.Value.ToString(), Holder = f.Holder })];
    }

    private async Task<Func<IPAddress, bool>> AskHolderAsync(string holder)
    {
        var holdings = await GrainFactory.GetGrain<IServiceGrain>(holder).HoldingsAsync();
        return ip => holdings.ClusterIps.Contains(ip.ToString(), StringComparer.Ordinal);
    }

    private bool Free(IPAddress ip, string holder)
    {
        if (_writer.Failed || _allocator is not { } allocator || allocator.Holder(ip) != holder)
        {
            return false;
        }

        allocator.Release(ip);
        _held.Remove(holder, ip);
        return true;
    }

    private ServiceRangeAllocator AllocatorFor(string cidr)
    {
        var range = IpPrefix.Parse(cidr);
        if (_allocator is { } current)
        {
            if (current.Range == range)
            {
                return current;
            }

            if (current.Used > 0)
            {
                throw new IpamGrainException(
                    IpamErrorKind.FailedPrecondition,
                    $"service pool '{Pool}' is {range} but still holds {current.Used} address(es) of its former range {current.Range}");
            }
        }

        try
        {
            _allocator = new ServiceRangeAllocator(range, Random.Shared);
            _held.Clear();
        }
        catch (IpamException e)
        {
            throw new IpamGrainException(e.Kind, $"service pool '{Pool}': {e.Message}");
        }

        return _allocator;
    }

    private async Task WriteAsync()
    {
        var snapshot = _allocator!.ToSnapshot();
        _state.State.Range = snapshot.Range;
        _state.State.Offsets = [.. snapshot.Allocations.Select(a => a.Offset)];
        _state.State.Holders = [.. snapshot.Allocations.Select(a => a.Holder)];
        await _state.WriteStateAsync();
    }
}
