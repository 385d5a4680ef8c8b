using DistIpam.Grains.Persistence;

namespace DistIpam.Server.Gc;

/// <summary>
/// A node's CNI GC ledger (see <see cref="ICniGcLedgerGrain"/>). A failed write deactivates the
/// grain so the next call re-reads storage (rule 3 of docs/architecture.md).
/// </summary>
public sealed class CniGcLedgerGrain(
    [PersistentState("cni-gc", StorageNames.Ipam)] IPersistentState<CniGcLedgerState> state,
    TimeProvider time) : Grain, ICniGcLedgerGrain
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<CniGcAbsence>> ObserveAsync(string networkPrefix, IReadOnlyList<CniGcAbsence> absent)
    {
        ArgumentNullException.ThrowIfNull(networkPrefix);
        ArgumentNullException.ThrowIfNull(absent);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var before = state.State.Absences.ToDictionary(a => a.Handle, StringComparer.Ordinal);
        var next = state.State.Absences.Where(a => !a.Handle.StartsWith(networkPrefix, StringComparison.Ordinal)).ToList();
        var observed = new List<CniGcAbsence>();
        foreach (var (handle, leases) in absent.Select(a => (a.Handle, a.Leases)).OrderBy(a => a.Handle, StringComparer.Ordinal))
        {
            var sorted = leases.Order(StringComparer.Ordinal).ToList();
            var entry = before.TryGetValue(handle, out var earlier) && earlier.Leases.SequenceEqual(sorted, StringComparer.Ordinal)
                ? earlier with { LastObservedUnixMs = now, Observations = earlier.Observations + 1 }
                : new CniGcAbsence { Handle = handle, Leases = sorted, FirstObservedUnixMs = now, LastObservedUnixMs = now, Observations = 1 };
            next.Add(entry);
            observed.Add(entry);
        }

        if (state.State.Absences.Count == 0 && next.Count > 0)
        {
            // The GC finds ledgers through the node list; a node that only borrows holds no claim of its own.
            await GrainFactory.GetGrain<Nodes.INodeRegistryGrain>(Nodes.INodeRegistryGrain.Key).AddAsync(this.GetPrimaryKeyString());
        }

        await WriteAsync(next);
        return observed;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CniGcAbsence>> ListAsync() => Task.FromResult<IReadOnlyList<CniGcAbsence>>([.. state.State.Absences]);

    /// <inheritdoc />
    public async Task ForgetAsync(string handle, long firstObservedUnixMs)
    {
        var next = state.State.Absences.Where(a => a.Handle != handle || a.FirstObservedUnixMs != firstObservedUnixMs).ToList();
        if (next.Count != state.State.Absences.Count)
        {
            await WriteAsync(next);
        }
    }

    private async Task WriteAsync(List<CniGcAbsence> next)
    {
        var previous = state.State.Absences;
        if (next.Count == 0 && previous.Count == 0)
        {
            return;
        }

        state.State.Absences = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory may be ahead of storage: the next call must re-read it.
            state.State.Absences = previous;
            DeactivateOnIdle();
            throw;
        }
    }
}
