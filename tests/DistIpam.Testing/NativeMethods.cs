using System.Runtime.InteropServices;

namespace DistIpam.Testing;

/// <summary>POSIX calls .NET does not expose: sending SIGTERM, SIGSTOP and SIGCONT to a child.</summary>
internal static partial class NativeMethods
{
    /// <summary>SIGTERM on Linux and macOS.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGSTOP on Linux (the process freezes; it cannot catch or ignore it).</summary>
    public const int SigStop = 19;

    /// <summary>SIGCONT on Linux (a stopped process runs again).</summary>
    public const int SigCont = 18;

    /// <summary>kill(2).</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; throws naming the errno when kill(2) fails.</summary>
    public static void Signal(int pid, int signal, string what)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException(
                $"kill({signal.ToString(System.Globalization.CultureInfo.InvariantCulture)}) of {what} (pid {pid.ToString(System.Globalization.CultureInfo.InvariantCulture)}) failed with errno {Marshal.GetLastPInvokeError().ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }
}
