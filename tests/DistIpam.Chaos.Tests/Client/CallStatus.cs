namespace DistIpam.Chaos.Tests.Client;

/// <summary>How a call ended, as the model sees it.</summary>
internal enum CallStatus
{
    /// <summary>Acknowledged: it took effect.</summary>
    Succeeded,

    /// <summary>A definitive refusal (INVALID_ARGUMENT, ALREADY_EXISTS, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, NOT_FOUND, OUT_OF_RANGE): no effect.</summary>
    Refused,

    /// <summary>Retryable failures until the operation deadline: it may or may not have taken effect.</summary>
    Unknown,

    /// <summary>INTERNAL: the server says it has a bug. A violation by itself; the outcome is unknown.</summary>
    Internal,
}
