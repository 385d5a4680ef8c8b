using DistIpam.Core.Errors;

namespace DistIpam.Grains.Errors;

/// <summary>
/// A domain failure carried across grain calls. Core's typed exceptions are not Orleans-serializable
/// (Core has no Orleans), so grains translate them into this one type that keeps the category and
/// the message naming the pool, CIDR, handle or address. The gRPC layer maps <see cref="Kind"/> to a
/// status code.
/// </summary>
[GenerateSerializer]
public sealed class IpamGrainException : Exception
{
    /// <summary>Creates a failure of <paramref name="kind"/>.</summary>
    public IpamGrainException(IpamErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Required by serializers.</summary>
    public IpamGrainException()
    {
    }

    /// <summary>Required by serializers.</summary>
    public IpamGrainException(string message)
        : base(message)
    {
    }

    /// <summary>Required by serializers.</summary>
    public IpamGrainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The failure category.</summary>
    [Id(0)]
    public IpamErrorKind Kind { get; init; }

    /// <summary>Translates a Core failure, keeping its category and message.</summary>
    public static IpamGrainException From(IpamException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new IpamGrainException(exception.Kind, exception.Message);
    }

    /// <summary>A failure that is safe to retry (a lost race, a moving grain).</summary>
    public static IpamGrainException Unavailable(string message) => new(IpamErrorKind.Unavailable, message);
}
