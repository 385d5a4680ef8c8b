using System.Buffers.Binary;

namespace DistIpam.Api.Agent;

/// <summary>
/// One frame on the agent's Unix socket: a 4-byte big-endian length of the message, a 1-byte
/// <see cref="AgentMessageKind"/>, then the protobuf message. The one framing rule, shared by the
/// plugin and the agent (docs/agent.md, Protocol). The plugin uses the synchronous pair: a fresh
/// process that waits on one answer gains nothing from async I/O but an epoll thread, thread-pool
/// workers and a timer thread to start (docs/agent.md, Where an ADD's time goes).
/// </summary>
public readonly record struct AgentFrame(AgentMessageKind Kind, byte[] Message)
{
    /// <summary>Bytes before the message.</summary>
    public const int HeaderLength = 5;

    /// <summary>The largest message either side accepts (a GC request of a full node is a few tens of KB).</summary>
    public const int MaxMessageLength = 1 << 20;

    /// <summary>Writes the frame in one write (one syscall for small frames).</summary>
    public async ValueTask WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Encode(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the frame in one blocking write; the stream's own timeouts bound it.</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encode());
        stream.Flush();
    }

    /// <summary>
    /// Reads one frame; null at a clean end of stream before any byte. <see cref="InvalidDataException"/>
    /// for a truncated frame, a length over <see cref="MaxMessageLength"/> or an unknown kind.
    /// </summary>
    public static async ValueTask<AgentFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[HeaderLength];
        var read = await ReadFullyAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (Header(header, read) is not { } parsed)
        {
            return null;
        }

        var message = new byte[parsed.Length];
        read = await ReadFullyAsync(stream, message, cancellationToken).ConfigureAwait(false);
        return Complete(parsed.Kind, message, read);
    }

    /// <summary>The blocking form of <see cref="ReadAsync"/>, with the same answers; the stream's own timeouts bound it.</summary>
    public static AgentFrame? Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[HeaderLength];
        if (Header(header, stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false)) is not { } parsed)
        {
            return null;
        }

        var message = new byte[parsed.Length];
        return Complete(parsed.Kind, message, stream.ReadAtLeast(message, message.Length, throwOnEndOfStream: false));
    }

    private byte[] Encode()
    {
        var buffer = new byte[HeaderLength + Message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)Message.Length);
        buffer[4] = (byte)Kind;
        Message.CopyTo(buffer, HeaderLength);
        return buffer;
    }

    private static (AgentMessageKind Kind, uint Length)? Header(byte[] header, int read)
    {
        if (read == 0)
        {
            return null;
        }

        if (read < HeaderLength)
        {
            throw new InvalidDataException($"truncated frame header ({read} of {HeaderLength} bytes)");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > MaxMessageLength)
        {
            throw new InvalidDataException($"frame of {length} bytes is longer than the limit of {MaxMessageLength}");
        }

        var kind = (AgentMessageKind)header[4];
        return Enum.IsDefined(kind) ? (kind, length) : throw new InvalidDataException($"unknown frame kind {header[4]}");
    }

    private static AgentFrame Complete(AgentMessageKind kind, byte[] message, int read) =>
        read < message.Length
            ? throw new InvalidDataException($"truncated frame ({read} of {message.Length} message bytes)")
            : new AgentFrame(kind, message);

    private static async ValueTask<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken) =>
        await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
}
