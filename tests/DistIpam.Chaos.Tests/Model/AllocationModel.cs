using DistIpam.Api.V1;
using DistIpam.Chaos.Tests.Checking;
using DistIpam.Chaos.Tests.Client;
using DistIpam.Chaos.Tests.Observation;
using DistIpam.Chaos.Tests.Schedules;

namespace DistIpam.Chaos.Tests.Model;

/// <summary>
/// What the cluster acknowledged to the schedule's clients, handle by handle. Every reply is
/// recorded here as it arrives; the checks that need only the replies (a duplicate among held
/// handles, a retry answered with other addresses, half a dual-stack allocation, an address
/// outside its pool) run at once, while the schedule is still running.
/// </summary>
internal sealed class AllocationModel(IReadOnlyDictionary<string, PoolView> pools, ViolationLog violations)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HandleModel> _handles = new(StringComparer.Ordinal);

    /// <summary>The handle model for <paramref name="handle"/>, created on first use.</summary>
    public HandleModel For(Handle handle, string node)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var key = $"{handle.Network}/{handle.ContainerId}/{handle.Interface}";
        lock (_gate)
        {
            if (!_handles.TryGetValue(key, out var model))
            {
                model = new HandleModel(key, handle, node);
                _handles.Add(key, model);
            }

            return model;
        }
    }

    /// <summary>Every handle of the node, for GC and drains.</summary>
    public IReadOnlyList<HandleModel> HandlesOf(string node)
    {
        lock (_gate)
        {
            return [.. _handles.Values.Where(h => h.Node == node)];
        }
    }

    /// <summary>Every handle the schedule touched.</summary>
    public IReadOnlyList<HandleModel> AllHandles()
    {
        lock (_gate)
        {
            return [.. _handles.Values];
        }
    }

    /// <summary>Immutable copies of every handle.</summary>
    public IReadOnlyList<HandleSnapshot> Snapshot()
    {
        lock (_gate)
        {
            return [.. _handles.Values.Select(h => h.Snapshot())];
        }
    }

    /// <summary>Addresses some held handle of the schedule was given (for "Taken" requests).</summary>
    public IReadOnlyList<string> HeldAddresses()
    {
        lock (_gate)
        {
            return [.. _handles.Values.Where(h => h.Status == HandleStatus.Held).SelectMany(h => h.Addresses)];
        }
    }

    /// <summary>Records an Allocate (or a retry of one) and checks its reply.</summary>
    public void Allocated(HandleModel handle, FamilyChoice families, CallOutcome<AllocateResponse> outcome)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            handle.Attempted(families);
            switch (outcome.Status)
            {
                case CallStatus.Succeeded:
                    var addresses = outcome.Reply.Addresses.Select(a => a.Address.Split('/')[0]).ToArray();
                    handle.Note($"Allocate({families}) -> {string.Join(", ", outcome.Reply.Addresses.Select(a => $"{a.Address} seq {a.Sequence}"))}");
                    CheckReply(handle, families, outcome.Reply, addresses);
                    handle.Status = HandleStatus.Held;
                    handle.Addresses = addresses;
                    break;
                case CallStatus.Refused:
                    handle.Note($"Allocate({families}) -> refused {outcome.Code}: {outcome.Detail}");
                    break;
                default:
                    handle.Note($"Allocate({families}) -> {outcome}");
                    handle.Status = HandleStatus.Unknown;
                    break;
            }
        }
    }

    /// <summary>
    /// Notes that a release of <paramref name="handle"/> is about to be sent: from now its
    /// addresses may be free at the server before the reply arrives, so a second handle given one
    /// of them is no duplicate.
    /// </summary>
    public void ReleaseStarting(HandleModel handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_gate)
        {
            handle.ReleaseInFlight = true;
        }
    }

    /// <summary>Records a release of one handle (Release, or GC / drain naming it).</summary>
    public void Released(HandleModel handle, CallStatus status, string what)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_gate)
        {
            handle.ReleaseInFlight = false;
            handle.Note(what);
            switch (status)
            {
                case CallStatus.Succeeded:
                    handle.Status = HandleStatus.Released;
                    handle.Addresses = [];
                    handle.KnownEmpty();
                    break;
                case CallStatus.Refused:
                    break;
                default:
                    handle.Status = HandleStatus.Unknown;
                    break;
            }
        }
    }

    /// <summary>
    /// Notes that a move of <paramref name="from"/>'s addresses to <paramref name="to"/> is about to
    /// be sent and returns the addresses it names, or null (nothing is sent) when
    /// <paramref name="from"/> is not known to hold any. From now on they may be either's.
    /// </summary>
    public IReadOnlyList<string>? MoveStarting(HandleModel from, HandleModel to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        lock (_gate)
        {
            if (from.Status != HandleStatus.Held)
            {
                from.Note($"MoveHandle to {to.Key} not sent: {from.Status}");
                return null;
            }

            from.ReleaseInFlight = true;
            return [.. from.Addresses];
        }
    }

    /// <summary>Records a move's outcome: on success the addresses are <paramref name="to"/>'s, the same ones, and <paramref name="from"/> holds nothing.</summary>
    public void Moved(HandleModel from, HandleModel to, CallOutcome<AllocateResponse> outcome)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            from.ReleaseInFlight = false;
            var what = $"MoveHandle {from.Key} -> {to.Key}: {(outcome.Status == CallStatus.Succeeded ? string.Join(", ", outcome.Reply.Addresses.Select(a => $"{a.Address} seq {a.Sequence}")) : outcome.ToString())}";
            from.Note(what);
            to.Note(what);
            switch (outcome.Status)
            {
                case CallStatus.Succeeded:
                    var addresses = outcome.Reply.Addresses.Select(a => a.Address.Split('/')[0]).ToArray();
                    if (!addresses.Order(StringComparer.Ordinal).SequenceEqual(from.Addresses.Order(StringComparer.Ordinal), StringComparer.Ordinal))
                    {
                        violations.Report(2, $"a move of {from.Key} ({string.Join(", ", from.Addresses)}) to {to.Key} answered {string.Join(", ", addresses)}", string.Join(" | ", from.Snapshot().History));
                    }

                    foreach (var other in _handles.Values.Where(h => h != from && h != to && h.Status == HandleStatus.Held && !h.ReleaseInFlight))
                    {
                        foreach (var shared in other.Addresses.Intersect(addresses, StringComparer.Ordinal))
                        {
                            violations.Report(1, $"{shared} moved to {to.Key} while {other.Key} holds it", $"{other.Key}: {string.Join(" | ", other.Snapshot().History)}");
                        }
                    }

                    from.Status = HandleStatus.Released;
                    from.Addresses = [];
                    from.KnownEmpty();
                    to.Status = HandleStatus.Held;
                    to.Addresses = addresses;
                    to.KnownEmpty();
                    break;
                case CallStatus.Refused:
                    break;
                default:
                    // Maybe moved, maybe half: either may hold them, and neither is a dual-stack ADD's result any more.
                    from.Status = HandleStatus.Unknown;
                    to.Status = HandleStatus.Unknown;
                    from.KnownEmpty();
                    to.KnownEmpty();
                    break;
            }
        }
    }

    private void CheckReply(HandleModel handle, FamilyChoice families, AllocateResponse reply, string[] addresses)
    {
        if (handle.Status == HandleStatus.Held && !handle.Addresses.Order(StringComparer.Ordinal).SequenceEqual(addresses.Order(StringComparer.Ordinal)))
        {
            violations.Report(2, $"handle {handle.Key} held {string.Join(", ", handle.Addresses)} but an Allocate of it answered {string.Join(", ", addresses)}", string.Join(" | ", handle.Snapshot().History));
        }

        var expected = families == FamilyChoice.DualStack ? 2 : 1;
        if (reply.Addresses.Count != expected || (families == FamilyChoice.DualStack && reply.Addresses.Select(a => a.Family).Distinct().Count() != 2))
        {
            violations.Report(4, $"handle {handle.Key}: a {families} Allocate answered {reply.Addresses.Count} address(es): {string.Join(", ", addresses)}", string.Join(" | ", handle.Snapshot().History));
        }

        foreach (var address in reply.Addresses)
        {
            var refusal = pools.TryGetValue(address.Pool, out var pool) ? pool.Refuses(address.Address) : $"unknown pool {address.Pool}";
            if (refusal is not null)
            {
                violations.Report(5, $"handle {handle.Key} was given {refusal}", "");
            }
        }

        foreach (var other in _handles.Values.Where(h => h != handle && h.Status == HandleStatus.Held && !h.ReleaseInFlight))
        {
            foreach (var shared in other.Addresses.Intersect(addresses, StringComparer.Ordinal))
            {
                violations.Report(1, $"{shared} acknowledged to {handle.Key} while {other.Key} holds it", $"{other.Key}: {string.Join(" | ", other.Snapshot().History)}; {handle.Key}: {string.Join(" | ", handle.Snapshot().History)}");
            }
        }
    }
}
