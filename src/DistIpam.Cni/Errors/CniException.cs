namespace DistIpam.Cni.Errors;

/// <summary>A failure that distipam reports as a CNI error object: a code, a message and details.</summary>
internal sealed class CniException : Exception
{
    /// <summary>Creates a CNI failure.</summary>
    public CniException(int code, string message, string? details = null)
        : base(message)
    {
        Code = code;
        Details = details;
    }

    /// <summary>Creates a CNI failure caused by another exception.</summary>
    public CniException(int code, string message, string? details, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
        Details = details;
    }

    /// <summary>The CNI error code (see <see cref="CniErrorCode"/>).</summary>
    public int Code { get; }

    /// <summary>Extra detail for the error object, or null.</summary>
    public string? Details { get; }

    /// <summary>Shorthand for an invalid-configuration failure.</summary>
    public static CniException InvalidConfiguration(string message) => new(CniErrorCode.InvalidConfiguration, message);

    /// <summary>Shorthand for an invalid-environment failure.</summary>
    public static CniException InvalidEnvironment(string message) => new(CniErrorCode.InvalidEnvironment, message);
}
