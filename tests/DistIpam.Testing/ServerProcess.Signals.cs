namespace DistIpam.Testing;

/// <summary>Freezing and thawing the server (SIGSTOP / SIGCONT), as a stalled VM or a long GC pause would.</summary>
public sealed partial class ServerProcess
{
    /// <summary>Whether <see cref="Pause"/> froze the current process and <see cref="Resume"/> has not thawed it yet.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Freezes the current process with SIGSTOP (only the process this object started, by pid).</summary>
    public void Pause()
    {
        var process = _process is { HasExited: false } running ? running : throw new InvalidOperationException($"{_options.Name} is not running; nothing to pause");
        NativeMethods.Signal(process.Id, NativeMethods.SigStop, _options.Name);
        IsPaused = true;
    }

    /// <summary>Thaws a process frozen by <see cref="Pause"/> with SIGCONT. Does nothing if it is not paused or has exited.</summary>
    public void Resume()
    {
        if (!IsPaused)
        {
            return;
        }

        IsPaused = false;
        if (_process is { HasExited: false } process)
        {
            NativeMethods.Signal(process.Id, NativeMethods.SigCont, _options.Name);
        }
    }
}
