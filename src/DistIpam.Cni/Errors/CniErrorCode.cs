namespace DistIpam.Cni.Errors;

/// <summary>
/// The error codes distipam prints. 1-99 are the CNI specification's well-known codes; 100 and up
/// are distipam's own (documented in docs/cni.md). Codes are never renumbered.
/// </summary>
internal static class CniErrorCode
{
    /// <summary>The configuration's cniVersion is not supported, or the verb needs a newer one.</summary>
    public const int IncompatibleVersion = 1;

    /// <summary>A CNI_* environment variable is missing or invalid (including CNI_ARGS).</summary>
    public const int InvalidEnvironment = 4;

    /// <summary>Standard input is not valid JSON.</summary>
    public const int DecodingFailure = 6;

    /// <summary>The network configuration is invalid; the message names the field.</summary>
    public const int InvalidConfiguration = 7;

    /// <summary>No server could be reached, or it answered with a retryable failure, within the deadline.</summary>
    public const int TryAgainLater = 11;

    /// <summary>STATUS: the server cannot serve ADD now.</summary>
    public const int NotAvailable = 50;

    /// <summary>The pool has no free address (gRPC RESOURCE_EXHAUSTED).</summary>
    public const int PoolExhausted = 100;

    /// <summary>A requested address is held by another attachment (gRPC ALREADY_EXISTS).</summary>
    public const int AddressTaken = 101;

    /// <summary>The server refused the request as invalid (gRPC INVALID_ARGUMENT).</summary>
    public const int InvalidRequest = 102;

    /// <summary>Something named does not exist: an unknown pool, or CHECK of a handle with no addresses (gRPC NOT_FOUND).</summary>
    public const int NotFound = 103;

    /// <summary>The server's state does not allow the call: a disabled pool, or CHECK found other addresses (gRPC FAILED_PRECONDITION).</summary>
    public const int FailedPrecondition = 104;

    /// <summary>Any other server failure (gRPC INTERNAL, UNKNOWN, UNIMPLEMENTED, PERMISSION_DENIED, ...).</summary>
    public const int ServerError = 105;

    /// <summary>GC released what it could, but some attachments could not be released.</summary>
    public const int GarbageCollectionIncomplete = 106;

    /// <summary>A bug in the plugin (an unexpected exception); the message says what.</summary>
    public const int Internal = 999;
}
