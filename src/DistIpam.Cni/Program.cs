using System.Net;
using System.Text;
using DistIpam.Cni;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Diagnostics;
using DistIpam.Cni.Invocation;
using Microsoft.Win32.SafeHandles;

if (Environment.GetEnvironmentVariable(StageClock.Variable) == "1")
{
    StageClock.Enable();
}

// The whole process: one CNI invocation. stdin and stdout belong to the CNI protocol; logs go to stderr.
// Plain file streams on descriptors 0-2, not System.Console: its first write sets up terminal and
// signal handling, a pipe and a thread that a process living a few milliseconds only pays for
// (docs/agent.md, Where an ADD's time goes).
using var stdout = Descriptor(1, FileAccess.Write);
using var stderr = new StreamWriter(Descriptor(2, FileAccess.Write), new UTF8Encoding(false)) { AutoFlush = true };
var plugin = new CniPlugin(Environment.GetEnvironmentVariable, ReadStdin, stdout, stderr, Dns.GetHostName);
return await plugin.RunAsync().ConfigureAwait(false);

static Stream Descriptor(int descriptor, FileAccess access)
{
    try
    {
        var stream = new StandardStream(new SafeFileHandle(descriptor, ownsHandle: false), access);
        // A FileStream on a regular file writes at its own offset (pwrite) and leaves the shared one
        // alone, so output redirected to a file could be overwritten by whoever writes next. Runtimes
        // give plugins pipes; anything seekable gets System.Console's stream instead.
        if (!stream.CanSeek || access == FileAccess.Read)
        {
            return stream;
        }

        stream.Dispose();
    }
    catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
    {
        // A closed or odd descriptor: System.Console knows how to stand in for it.
    }

    return descriptor switch { 0 => Console.OpenStandardInput(), 1 => Console.OpenStandardOutput(), _ => Console.OpenStandardError() };
}

// A network configuration is a few hundred bytes: start small rather than with Stream.CopyTo's 80 KiB buffer.
static ReadOnlyMemory<byte> ReadStdin()
{
    using var stdin = Descriptor(0, FileAccess.Read);
    var buffer = new byte[4096];
    var length = 0;
    int read;
    while ((read = stdin.Read(buffer, length, buffer.Length - length)) > 0)
    {
        length += read;
        if (length > ConfigurationReader.MaxStdinBytes)
        {
            // Enough to refuse it (code 6): the rest is never read into memory.
            break;
        }

        if (length == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }
    }

    return buffer.AsMemory(0, length);
}
