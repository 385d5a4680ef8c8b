namespace DistIpam.Testing;

/// <summary>Freezing and thawing the server process, as a frozen VM or a long GC pause does.</summary>
public sealed partial class ServerProcess
{
    /// <summary>SIGSTOP: the process stops running; its sockets keep accepting bytes.</summary>
    public void Pause() => Signal(NativeMethods.SigStop);

    /// <summary>SIGCONT: the process runs again, with whatever arrived meanwhile.</summary>
    public void Resume() => Signal(NativeMethods.SigCont);

    private void Signal(int signal)
    {
        if (HasExited || NativeMethods.Kill(ProcessId, signal) != 0)
        {
            throw new InvalidOperationException($"could not send signal {signal} to server pid {ProcessId} (exited: {HasExited})");
        }
    }
}
