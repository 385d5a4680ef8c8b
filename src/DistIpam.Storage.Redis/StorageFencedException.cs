using Orleans;
using Orleans.Runtime;

namespace DistIpam.Storage.Redis;

/// <summary>
/// A write refused because the writing silo is no longer alive in the membership table (declared
/// dead, or its row is gone): nothing was written. The silo is about to stop; the caller retries on
/// another silo (gRPC UNAVAILABLE).
/// </summary>
[GenerateSerializer]
public sealed class StorageFencedException : OrleansException
{
    /// <summary>Creates the failure.</summary>
    public StorageFencedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the failure.</summary>
    public StorageFencedException()
    {
    }

    /// <summary>Creates the failure.</summary>
    public StorageFencedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
