using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace DistIpam.Cni.Rpc;

/// <summary>
/// A blocking Unix stream socket made with libc directly, as a <see cref="Stream"/> for
/// <see cref="DistIpam.Api.Agent.AgentFrame"/>. System.Net.Sockets starts its epoll thread with the
/// first socket and waits for that thread to run, which under load costs a plugin milliseconds for an
/// exchange that needs no event loop (docs/agent.md, Where an ADD's time goes). Sends use MSG_NOSIGNAL,
/// so an agent that went away is an error, not SIGPIPE. Linux only, like the plugin.
/// </summary>
internal sealed partial class UnixStream : Stream
{
    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;
    private const int SolSocket = 1;
    private const int SoRcvtimeo = 20;
    private const int SoSndtimeo = 21;
    private const int MsgNosignal = 0x4000;
    private const int Eintr = 4;
    private const int SunPathLength = 108;
    private int _descriptor;

    private UnixStream(int descriptor) => _descriptor = descriptor;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>
    /// Connects to <paramref name="path"/>; each later send and receive waits at most <paramref name="timeout"/>.
    /// A <see cref="SocketException"/> tells why (ENOENT is AddressNotAvailable, ECONNREFUSED ConnectionRefused).
    /// </summary>
    public static UnixStream Connect(string path, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Encoding.UTF8.GetBytes(path);
        if (name.Length >= SunPathLength)
        {
            throw new ArgumentException($"a Unix socket path has at most {SunPathLength - 1} bytes", nameof(path));
        }

        var address = new byte[2 + name.Length + 1];
        BinaryPrimitives.WriteUInt16LittleEndian(address, AfUnix);
        name.CopyTo(address, 2);
        var descriptor = Socket(AfUnix, SockStream | SockCloexec, 0);
        if (descriptor < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError());
        }

        var stream = new UnixStream(descriptor);
        try
        {
            var limit = new Timeval { Seconds = (long)timeout.TotalSeconds, Microseconds = timeout.Milliseconds * 1000L };
            if (Connect(descriptor, address, address.Length) < 0
                || SetTimeout(descriptor, SolSocket, SoRcvtimeo, ref limit, Marshal.SizeOf<Timeval>()) < 0
                || SetTimeout(descriptor, SolSocket, SoSndtimeo, ref limit, Marshal.SizeOf<Timeval>()) < 0)
            {
                throw Failure(Marshal.GetLastPInvokeError());
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var read = Receive(_descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length, 0);
            if (read >= 0)
            {
                return (int)read;
            }

            ThrowUnlessInterrupted();
        }
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var sent = Send(_descriptor, ref MemoryMarshal.GetReference(buffer), buffer.Length, MsgNosignal);
            if (sent >= 0)
            {
                buffer = buffer[(int)sent..];
                continue;
            }

            ThrowUnlessInterrupted();
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        // Unbuffered: every Write is already a send(2).
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        var descriptor = Interlocked.Exchange(ref _descriptor, -1);
        if (descriptor >= 0)
        {
            _ = Close(descriptor);
        }

        base.Dispose(disposing);
    }

    private static void ThrowUnlessInterrupted()
    {
        var errno = Marshal.GetLastPInvokeError();
        if (errno != Eintr)
        {
            // EAGAIN here is SO_RCVTIMEO/SO_SNDTIMEO expiring: SocketError.WouldBlock, which the caller reports as the deadline.
            throw new IOException($"agent socket: {Marshal.GetPInvokeErrorMessage(errno)}", Failure(errno));
        }
    }

    // SocketException(int) takes a SocketError, not an errno: the few the callers tell apart, mapped.
    private static SocketException Failure(int errno) => new((int)(errno switch
    {
        2 => SocketError.AddressNotAvailable, // ENOENT: no socket file
        11 => SocketError.WouldBlock, // EAGAIN: SO_RCVTIMEO or SO_SNDTIMEO expired
        13 => SocketError.AccessDenied, // EACCES
        32 => SocketError.Shutdown, // EPIPE
        104 => SocketError.ConnectionReset, // ECONNRESET
        110 => SocketError.TimedOut, // ETIMEDOUT
        111 => SocketError.ConnectionRefused, // ECONNREFUSED: nobody listens
        _ => SocketError.SocketError,
    }));

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int Connect(int descriptor, byte[] address, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetTimeout(int descriptor, int level, int option, ref Timeval value, int length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Receive(int descriptor, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int descriptor, ref byte buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    /// <summary>struct timeval on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }
}
