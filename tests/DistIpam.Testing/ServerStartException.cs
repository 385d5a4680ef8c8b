namespace DistIpam.Testing;

/// <summary>The server did not become ready: it exited or missed the deadline. The message carries the log tail.</summary>
public sealed class ServerStartException : Exception
{
    /// <summary>Creates the failure.</summary>
    public ServerStartException()
    {
    }

    /// <summary>Creates the failure.</summary>
    public ServerStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the failure.</summary>
    public ServerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
