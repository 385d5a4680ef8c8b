namespace DistIpam.Core.Errors;

/// <summary>
/// The category of a domain failure. The gRPC layer maps it to a status code and the CNI plugin to
/// a CNI error code; the domain itself never knows about either. Values are stable on the wire.
/// </summary>
public enum IpamErrorKind
{
    /// <summary>The input is malformed or names something impossible; retrying will not help.</summary>
    InvalidArgument = 1,

    /// <summary>A named pool, handle, block or service does not exist.</summary>
    NotFound = 2,

    /// <summary>A specifically requested address or port is already held by someone else.</summary>
    AlreadyExists = 3,

    /// <summary>No free address, block or port is left.</summary>
    Exhausted = 4,

    /// <summary>The request is valid but the current state forbids it (e.g. delete a pool in use).</summary>
    FailedPrecondition = 5,

    /// <summary>A transient conflict (lost optimistic-concurrency race, silo moving); retry.</summary>
    Unavailable = 6,
}
