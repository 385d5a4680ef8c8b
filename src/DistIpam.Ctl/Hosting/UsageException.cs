namespace DistIpam.Ctl.Hosting;

/// <summary>Arguments that parse but do not make sense together; exit code 2 with the message.</summary>
public sealed class UsageException(string message) : Exception(message)
{
    public UsageException()
        : this("bad usage")
    {
    }

    public UsageException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}
