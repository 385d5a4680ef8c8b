using System.Buffers.Binary;

namespace DistIpam.Api.Agent;

/// <summary>
/// One frame on the agent's Unix socket: a 4-byte big-endian length of the message, a 1-byte
/// <see cref="AgentMessageKind"/>, then the protobuf message. The one framing rule, shared by the
/// plugin and the agent (docs/agent.md, Protocol).
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
        var buffer = new byte[HeaderLength + Message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(buffer, (uint)Message.Length);
        buffer[4] = (byte)Kind;
        Message.CopyTo(buffer, HeaderLength);
        await stream.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
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
        if (!Enum.IsDefined(kind))
        {
            throw new InvalidDataException($"unknown frame kind {header[4]}");
        }

        var message = new byte[length];
        read = await ReadFullyAsync(stream, message, cancellationToken).ConfigureAwait(false);
        return read < message.Length
            ? throw new InvalidDataException($"truncated frame ({read} of {length} message bytes)")
            : new AgentFrame(kind, message);
    }

    private static async ValueTask<int> ReadFullyAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
