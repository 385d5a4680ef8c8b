using Orleans;
using Orleans.Runtime;

namespace DistIpam.Storage.Redis;

/// <summary>
/// Redis could not be reached or did not answer in time. For a write the outcome is unknown (it may
/// have been applied): the grain must re-read its state before serving again (DESIGN rule 3 in
/// docs/architecture.md). Retryable (gRPC UNAVAILABLE).
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException : OrleansException
{
    /// <summary>Creates the failure.</summary>
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the failure.</summary>
    public StorageUnavailableException()
    {
    }

    /// <summary>Creates the failure.</summary>
    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
