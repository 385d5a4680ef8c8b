using System.Runtime.InteropServices;

namespace DistIpam.Testing;

/// <summary>POSIX calls .NET does not expose: sending SIGTERM to a child.</summary>
internal static partial class NativeMethods
{
    /// <summary>SIGTERM on Linux and macOS.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGSTOP on Linux.</summary>
    public const int SigStop = 19;

    /// <summary>SIGCONT on Linux.</summary>
    public const int SigCont = 18;

    /// <summary>kill(2).</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
