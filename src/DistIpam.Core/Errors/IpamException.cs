namespace DistIpam.Core.Errors;

/// <summary>
/// Base of every typed domain failure. Subclasses carry the data an operator needs (pool, CIDR,
/// handle, address) so messages can name them and callers can act on them.
/// </summary>
public abstract class IpamException(string message) : Exception(message)
{
    /// <summary>The category, used for mapping to gRPC status and CNI error codes.</summary>
    public abstract IpamErrorKind Kind { get; }
}
