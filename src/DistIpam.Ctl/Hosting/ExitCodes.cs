namespace DistIpam.Ctl.Hosting;

/// <summary>distipamctl's exit codes (stable: scripts test them).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The server failed or could not be reached, or a file could not be read or written.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments (parse errors, INVALID_ARGUMENT from the server, a client configuration refused, a guard such as draining an alive node without --force).</summary>
    public const int Usage = 2;

    /// <summary>What was asked for does not exist (NOT_FOUND).</summary>
    public const int NotFound = 3;
}
