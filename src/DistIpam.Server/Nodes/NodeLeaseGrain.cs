using DistIpam.Grains.Persistence;

namespace DistIpam.Server.Nodes;

/// <summary>
/// A node's lease. Not reentrant: heartbeats and drains of one node are serialized. A failed write
/// deactivates the grain so the next call re-reads storage (rule 3 of docs/architecture.md).
/// </summary>
public sealed class NodeLeaseGrain(
    [PersistentState("nodelease", StorageNames.Ipam)] IPersistentState<NodeLeaseState> state,
    TimeProvider time) : Grain, INodeLeaseGrain
{
    private long _lastSeenUnixMs;

    private string Node => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _lastSeenUnixMs = state.State.LastSeenUnixMs;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<NodeLease> RenewAsync(string firstAgentVersion, TimeSpan leaseDuration) =>
        state.RecordExists
            ? HeartbeatAsync(state.State.Addresses, state.State.AgentVersion, leaseDuration)
            : HeartbeatAsync([], firstAgentVersion, leaseDuration);

    /// <inheritdoc />
    public async Task<NodeLease> HeartbeatAsync(IReadOnlyList<string> addresses, string agentVersion, TimeSpan leaseDuration)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        _lastSeenUnixMs = now;
        var current = state.State;
        var isNew = !state.RecordExists;
        var changed = isNew
            || current.DrainedAtUnixMs != 0
            || !current.Addresses.SequenceEqual(addresses, StringComparer.Ordinal)
            || current.AgentVersion != agentVersion
            || now - current.LastSeenUnixMs >= (long)(leaseDuration.TotalMilliseconds / 2);
        if (changed)
        {
            if (isNew)
            {
                await GrainFactory.GetGrain<INodeRegistryGrain>(INodeRegistryGrain.Key).AddAsync(Node);
            }

            await WriteAsync(new NodeLeaseState
            {
                Addresses = [.. addresses],
                AgentVersion = agentVersion,
                FirstSeenUnixMs = isNew ? now : current.FirstSeenUnixMs,
                LastSeenUnixMs = now,
                LastDrainedAtUnixMs = current.LastDrainedAtUnixMs,
                LastDrainReason = current.LastDrainReason,
            });
        }

        return Snapshot();
    }

    /// <inheritdoc />
    public Task<NodeLease?> GetAsync() => Task.FromResult(state.RecordExists ? Snapshot() : null);

    /// <inheritdoc />
    public async Task MarkDrainedAsync(string reason)
    {
        var current = state.State;
        if (!state.RecordExists)
        {
            await GrainFactory.GetGrain<INodeRegistryGrain>(INodeRegistryGrain.Key).AddAsync(Node);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await WriteAsync(new NodeLeaseState
        {
            Addresses = current.Addresses,
            AgentVersion = current.AgentVersion,
            FirstSeenUnixMs = current.FirstSeenUnixMs,
            LastSeenUnixMs = current.LastSeenUnixMs,
            DrainedAtUnixMs = now,
            DrainReason = reason,
            LastDrainedAtUnixMs = now,
            LastDrainReason = reason,
        });
    }

    private async Task WriteAsync(NodeLeaseState next)
    {
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory may be ahead of storage: the next call must re-read it.
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    private NodeLease Snapshot()
    {
        var current = state.State;
        return new NodeLease
        {
            Node = Node,
            Addresses = [.. current.Addresses],
            AgentVersion = current.AgentVersion,
            FirstSeenUnixMs = current.FirstSeenUnixMs,
            LastSeenUnixMs = Math.Max(_lastSeenUnixMs, current.LastSeenUnixMs),
            DrainedAtUnixMs = current.DrainedAtUnixMs,
            DrainReason = current.DrainReason,
            LastDrainedAtUnixMs = current.LastDrainedAtUnixMs,
            LastDrainReason = current.LastDrainReason,
        };
    }
}
