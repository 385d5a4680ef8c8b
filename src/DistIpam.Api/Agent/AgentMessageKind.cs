namespace DistIpam.Api.Agent;

/// <summary>
/// The one-byte kind of an agent frame (docs/agent.md). A request frame carries the Ipam request of
/// its kind; the answer carries the response of the same kind, or <see cref="Error"/> with an AgentError.
/// Values are never reused or renumbered.
/// </summary>
public enum AgentMessageKind : byte
{
    /// <summary>AllocateRequest / AllocateResponse.</summary>
    Allocate = 1,

    /// <summary>ReleaseRequest / ReleaseResponse.</summary>
    Release = 2,

    /// <summary>CheckRequest / CheckResponse.</summary>
    Check = 3,

    /// <summary>GarbageCollectRequest / GarbageCollectResponse.</summary>
    GarbageCollect = 4,

    /// <summary>StatusRequest / StatusResponse.</summary>
    Status = 5,

    /// <summary>AgentError: the request was refused or failed.</summary>
    Error = 127,
}
