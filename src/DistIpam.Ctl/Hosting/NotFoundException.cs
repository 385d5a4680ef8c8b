namespace DistIpam.Ctl.Hosting;

/// <summary>Something the command names does not exist (client-side finding); exit code 3.</summary>
public sealed class NotFoundException(string message) : Exception(message)
{
    public NotFoundException()
        : this("not found")
    {
    }

    public NotFoundException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}
