namespace DistIpam.Chaos.Tests.Schedules;

/// <summary>What one step of a simulated node does.</summary>
internal enum OperationKind
{
    /// <summary>Ipam.Allocate for the slot's handle (a re-use when the slot was released before).</summary>
    Allocate,

    /// <summary>The slot's last Allocate again, same handle and request: a retry after a lost reply.</summary>
    RetryAllocate,

    /// <summary>Ipam.Release of the slot's handle.</summary>
    Release,

    /// <summary>Release of the slot's handle, then Allocate of the same handle (re-use of a released handle).</summary>
    ReleaseThenReuse,

    /// <summary>Ipam.GarbageCollect of the node with every other slot but this one in the valid list.</summary>
    GarbageCollect,

    /// <summary>Pools.ReleaseNode of the node (a drain: every handle of the node is released).</summary>
    DrainNode,

    /// <summary>
    /// Ipam.MoveHandle of the slot's handle to its twin (<see cref="Running.NodeWorker"/>), naming
    /// the addresses the handle was acknowledged: the node agent's confirm of a reserve slot.
    /// </summary>
    MoveHandle,

    /// <summary>Services.CreateService for the slot's service.</summary>
    CreateService,

    /// <summary>Services.UpdateService (adds or drops the second family, changes ports).</summary>
    UpdateService,

    /// <summary>Services.DeleteService.</summary>
    DeleteService,

    /// <summary>Services.UpsertEndpoints with the slot's endpoints.</summary>
    UpsertEndpoints,

    /// <summary>Services.RemoveEndpoints of one target.</summary>
    RemoveEndpoints,
}
