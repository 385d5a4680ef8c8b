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
/// The NodePorts of one range: <see cref="PortRangeAllocator"/> behind a reentrant grain with group
/// commit. The bounds come from <see cref="ServiceOptions"/>; stored ports outside new bounds are
/// kept (they stay held until released).
/// </summary>
[Reentrant]
public sealed class NodePortGrain : Grain, INodePortGrain
{
    private readonly IPersistentState<NodePortState> _state;
    private readonly ServiceOptions _options;
    private readonly WriteBatcher _writer;
    private readonly Dictionary<int, string> _outside = [];
    private readonly HolderIndex<int> _held = new();
    private HeldValueReconciler<int>? _reconciler;
    private Task<IReadOnlyList<HeldValue>>? _reconciling;
    private PortRangeAllocator _allocator = null!;

    /// <summary>Creates the grain.</summary>
    public NodePortGrain(
        [PersistentState("node-ports", StorageNames.Ipam)] IPersistentState<NodePortState> state,
        IOptions<ServiceOptions> options,
        IOptions<IpamGrainOptions> grainOptions,
        ILogger<NodePortGrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(grainOptions);
        _state = state;
        _options = options.Value;
        _writer = new WriteBatcher(this.GetGrainId().ToString(), WriteAsync, DeactivateOnIdle, grainOptions.Value.UnsafeBrokenVariant, logger);
    }

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _reconciler = new HeldValueReconciler<int>(ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System, _options.ReconcileGracePeriod);
        _allocator = new PortRangeAllocator(_options.NodePortFirst, _options.NodePortLast, Random.Shared);
        for (var i = 0; i < _state.State.Ports.Count; i++)
        {
            var (port, holder) = (_state.State.Ports[i], _state.State.Holders[i]);
            _held.Add(holder, port);
            if (port >= _allocator.First && port <= _allocator.Last)
            {
                _allocator.AllocateSpecific(port, holder);
            }
            else
            {
                _outside[port] = holder;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<int>> AllocateAsync(string holder, IReadOnlyList<int> specific, int dynamicCount)
    {
        ArgumentNullException.ThrowIfNull(specific);
        _writer.ThrowIfFailed();
        _reconciler!.HandedOut(holder);
        var taken = new List<int>();
        var dynamic = new List<int>();

        // Idempotent per holder: ports the holder already has beyond the specific ones (a retried
        // create whose reply or state write was lost, a port an update drops) serve as its dynamic
        // ones before any new port is taken.
        var reused = _held.Of(holder).Where(p => !specific.Contains(p)).Take(Math.Max(0, dynamicCount)).ToList();
        try
        {
            foreach (var port in specific.Distinct())
            {
                if (_allocator.Holder(port) == holder || (_outside.TryGetValue(port, out var h) && h == holder))
                {
                    continue;
                }

                _allocator.AllocateSpecific(port, holder);
                taken.Add(port);
            }

            for (var i = reused.Count; i < dynamicCount; i++)
            {
                dynamic.Add(_allocator.Allocate(holder));
            }
        }
        catch (IpamException e)
        {
            // All or nothing, before anything was written.
            foreach (var port in taken.Concat(dynamic))
            {
                _allocator.Release(port);
            }

            throw new IpamGrainException(e.Kind, $"node port range {_allocator.First}-{_allocator.Last}: {e.Message}");
        }

        foreach (var port in taken.Concat(dynamic))
        {
            _held.Add(holder, port);
        }

        if (taken.Count > 0 || dynamic.Count > 0)
        {
            await _writer.CommitAsync();
        }
        else
        {
            await _writer.WhenDurableAsync();
        }

        return [.. reused, .. dynamic];
    }

    /// <inheritdoc />
    public async Task<int> ReleaseAsync(string holder, IReadOnlyList<int> ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        _writer.ThrowIfFailed();
        var freed = 0;
        foreach (var port in ports.Distinct())
        {
            if (_allocator.Holder(port) == holder)
            {
                _allocator.Release(port);
                _held.Remove(holder, port);
                freed++;
            }
            else if (_outside.TryGetValue(port, out var h) && h == holder)
            {
                _outside.Remove(port);
                _held.Remove(holder, port);
                freed++;
            }
        }

        await (freed > 0 ? _writer.CommitAsync() : _writer.WhenDurableAsync());
        return freed;
    }

    /// <inheritdoc />
    public async Task<bool> ReleaseUnheldAsync(string holder, int port)
    {
        _writer.ThrowIfFailed();
        if (!await _reconciler!.FreeIfUnheldAsync(port, holder, AskHolderAsync, Free))
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
        return [.. _allocator.ToSnapshot().Allocations.Select(a => (a.Port, a.Holder))
            .Concat(_outside.Select(o => (Port: o.Key, Holder: o.Value)))
            .Select(a => new HeldValue { Value = a.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Holder = a.Holder })];
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
        var held = _allocator.ToSnapshot().Allocations.Select(a => (a.Port, a.Holder))
            .Concat(_outside.Select(o => (Port: o.Key, Holder: o.Value)))
            .ToList();
        var freed = await _reconciler!.ReviewAsync(held, AskHolderAsync, Free);
        if (freed.Count > 0)
        {
            await _writer.CommitAsync();
        }

        return [.. freed.Select(f => new HeldValue { Value = f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Holder = f.Holder })];
    }

    private async Task<Func<int, bool>> AskHolderAsync(string holder)
    {
        var holdings = await GrainFactory.GetGrain<IServiceGrain>(holder).HoldingsAsync();
        return port => holdings.NodePorts.Contains(port);
    }

    private bool Free(int port, string holder)
    {
        if (_writer.Failed)
        {
            return false;
        }

        if (_allocator.Holder(port) == holder)
        {
            _allocator.Release(port);
        }
        else if (_outside.TryGetValue(port, out var h) && h == holder)
        {
            _outside.Remove(port);
        }
        else
        {
            return false;
        }

        _held.Remove(holder, port);
        return true;
    }

    private async Task WriteAsync()
    {
        var all = _allocator.ToSnapshot().Allocations.Select(a => (a.Port, a.Holder))
            .Concat(_outside.Select(o => (Port: o.Key, Holder: o.Value)))
            .ToList();
        _state.State.Ports = [.. all.Select(a => a.Port)];
        _state.State.Holders = [.. all.Select(a => a.Holder)];
        await _state.WriteStateAsync();
    }
}
