using System.Net.Sockets;
using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using Google.Protobuf;

namespace DistIpam.Agent.Tests.Fixtures;

/// <summary>A raw connection to the agent's socket: any bytes out, frames back (for the edge tests).</summary>
public sealed class RawAgentClient : IDisposable
{
    private static readonly TimeSpan ReadBound = TimeSpan.FromSeconds(15);
    private readonly System.Net.Sockets.Socket _socket;
    private readonly NetworkStream _stream;

    /// <summary>Connects to <paramref name="path"/>.</summary>
    public RawAgentClient(string path)
    {
        _socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Connect(new UnixDomainSocketEndPoint(path));
        _stream = new NetworkStream(_socket, ownsSocket: true);
    }

    /// <summary>Writes raw bytes.</summary>
    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends a well-formed request and returns the answer frame.</summary>
    public async Task<AgentFrame> CallAsync(AgentMessageKind kind, IMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = new CancellationTokenSource(ReadBound);
        await new AgentFrame(kind, request.ToByteArray()).WriteAsync(_stream, timeout.Token);
        return await ReadAsync() ?? throw new InvalidOperationException("the agent closed the connection without answering");
    }

    /// <summary>Reads one frame (null: the agent closed the connection).</summary>
    public async Task<AgentFrame?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(ReadBound);
        try
        {
            return await AgentFrame.ReadAsync(_stream, timeout.Token);
        }
        catch (IOException)
        {
            // A reset is a close too.
            return null;
        }
    }

    /// <summary>Whether the agent closed the connection (reads end) within <paramref name="bound"/>.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        var buffer = new byte[256];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // Drain an error frame sent before the close.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The AgentError of an error frame.</summary>
    public static AgentError ErrorOf(AgentFrame frame)
    {
        Assert.Equal(AgentMessageKind.Error, frame.Kind);
        return AgentError.Parser.ParseFrom(frame.Message);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
