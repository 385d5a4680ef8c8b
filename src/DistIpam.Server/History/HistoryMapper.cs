using DistIpam.Api.V1;

namespace DistIpam.Server.History;

/// <summary>History events and locations as proto messages.</summary>
public static class HistoryMapper
{
    /// <summary>The proto form of an event.</summary>
    public static HistoryEntry EntryOf(HistoryEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new HistoryEntry
        {
            Kind = change.Kind == HistoryEventKind.Allocated ? "allocated" : "released",
            AtUnixMs = change.AtUnixMs,
            Address = change.Address,
            Pool = change.Pool,
            Block = change.Block,
            Sequence = change.Sequence,
            Handle = change.Handle,
            Node = change.Node ?? "",
            Pod = new PodAttributes { Namespace = change.PodNamespace ?? "", Name = change.PodName ?? "", Uid = change.PodUid ?? "" },
            Actor = change.Actor ?? "",
            Reason = change.Reason ?? "",
        };
    }

    /// <summary>The proto form of a location; <paramref name="recorded"/> says whether the holder's handle record lists it.</summary>
    public static AddressInfo InfoOf(AddressLocator.Location location, bool recorded)
    {
        ArgumentNullException.ThrowIfNull(location);
        var info = new AddressInfo
        {
            Address = location.Address,
            Pool = location.Pool,
            Block = location.Block,
            BlockOwner = location.BlockOwner ?? "",
        };
        if (location.Lease is { } lease)
        {
            info.Allocated = true;
            info.Handle = lease.HandleId;
            info.Node = lease.Pod.Node ?? "";
            info.Pod = new PodAttributes { Namespace = lease.Pod.Namespace ?? "", Name = lease.Pod.Name ?? "", Uid = lease.Pod.Uid ?? "" };
            info.SinceUnixMs = lease.AllocatedAtUnixMs;
            info.Sequence = lease.Sequence;
            info.RecordedByHandle = recorded;
        }

        return info;
    }
}
