using System.Net.Sockets;
using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using DistIpam.Cni.Errors;
using Google.Protobuf;
using Grpc.Core;

namespace DistIpam.Cni.Rpc;

/// <summary>
/// One request to the node agent over its Unix socket: one frame out, one frame back (docs/agent.md,
/// Protocol). No HTTP/2 or gRPC stack is built: the whole exchange is a connect, a write and a read.
/// </summary>
internal sealed class AgentConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly string _path;

    private AgentConnection(Socket socket, string path)
    {
        _socket = socket;
        _path = path;
    }

    /// <summary>
    /// Connects; null when no agent listens at <paramref name="path"/> (no socket file, or nobody accepting).
    /// Other failures (e.g. permission denied) are errors: falling back would hide a broken installation.
    /// </summary>
    public static AgentConnection? TryConnect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new AgentConnection(socket, path);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused || !File.Exists(path))
        {
            socket.Dispose();
            return null;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new CniException(CniErrorCode.TryAgainLater, $"cannot connect to the DistIpam agent at {path}: {e.Message}");
        }
    }

    /// <summary>Sends <paramref name="request"/> and returns the agent's answer, or throws the CNI error it carries.</summary>
    public async Task<TResponse> CallAsync<TResponse>(string operation, AgentMessageKind kind, IMessage request, MessageParser<TResponse> parser, TimeSpan timeout)
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        using var deadline = new CancellationTokenSource(timeout);
        await using var stream = new NetworkStream(_socket, ownsSocket: false);
        AgentFrame? answer;
        try
        {
            await new AgentFrame(kind, request.ToByteArray()).WriteAsync(stream, deadline.Token).ConfigureAwait(false);
            answer = await AgentFrame.ReadAsync(stream, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or OperationCanceledException)
        {
            // The agent may have acted before it failed: never retry elsewhere, the runtime asks again.
            throw new CniException(CniErrorCode.TryAgainLater, $"the DistIpam agent at {_path} did not answer {operation}: {Reason(e)}");
        }

        if (answer is not { } frame)
        {
            throw new CniException(CniErrorCode.TryAgainLater, $"the DistIpam agent at {_path} closed the connection without answering {operation}");
        }

        if (frame.Kind == AgentMessageKind.Error)
        {
            throw ToCni(operation, AgentError.Parser.ParseFrom(frame.Message));
        }

        return frame.Kind == kind
            ? parser.ParseFrom(frame.Message)
            : throw new CniException(CniErrorCode.Internal, $"the DistIpam agent at {_path} answered {operation} with a frame of kind {(byte)frame.Kind}");
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    private CniException ToCni(string operation, AgentError error)
    {
        if (error.CniCode != 0)
        {
            return new CniException(error.CniCode, error.Message, string.IsNullOrEmpty(error.Details) ? null : error.Details);
        }

        // A server's answer relayed: the same CNI code as in direct mode.
        var rpc = new RpcException(new Status((StatusCode)error.GrpcStatus, error.Message));
        return RpcFailures.ToCni(operation, $"agent {_path}", rpc);
    }

    private static string Reason(Exception e) => e is OperationCanceledException ? "deadline reached" : e.Message;
}
