namespace DistIpam.Server.Errors;

/// <summary>Bad input caught at the gRPC edge; becomes INVALID_ARGUMENT with this message.</summary>
public sealed class RequestValidationException : Exception
{
    /// <summary>Creates the failure.</summary>
    public RequestValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the failure.</summary>
    public RequestValidationException()
    {
    }

    /// <summary>Creates the failure.</summary>
    public RequestValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
