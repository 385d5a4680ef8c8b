namespace DistIpam.Grains.Services;

/// <summary>What happened to a service or an endpoint slice.</summary>
public enum ServiceEventType
{
    /// <summary>Not set.</summary>
    Unspecified = 0,

    /// <summary>The object was created.</summary>
    Added = 1,

    /// <summary>The object changed; the event carries its new state.</summary>
    Modified = 2,

    /// <summary>The object was deleted; the event carries its last state.</summary>
    Deleted = 3,
}
