using System.Net.Sockets;
using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using DistIpam.Cni.Diagnostics;
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
    private readonly UnixStream _stream;
    private readonly string _path;

    private AgentConnection(UnixStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>
    /// Connects; null when no agent listens at <paramref name="path"/> (no socket file, or nobody accepting).
    /// Other failures (e.g. permission denied) are errors: falling back would hide a broken installation.
    /// </summary>
    /// <param name="path">The agent's socket.</param>
    /// <param name="timeout">Bounds each later send and receive.</param>
    public static AgentConnection? TryConnect(string path, TimeSpan timeout)
    {
        try
        {
            return new AgentConnection(UnixStream.Connect(path, timeout), path);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused || !File.Exists(path))
        {
            return null;
        }
        catch (SocketException e)
        {
            throw new CniException(CniErrorCode.TryAgainLater, $"cannot connect to the DistIpam agent at {path}: {e.Message}");
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the agent's answer, or throws the CNI error it carries.
    /// Blocking on purpose: no epoll thread, thread-pool worker or timer thread is started for one
    /// exchange (docs/agent.md, Where an ADD's time goes). The timeout given to <see cref="TryConnect"/>
    /// bounds each send and each receive.
    /// </summary>
    public TResponse Call<TResponse>(string operation, AgentMessageKind kind, IMessage request, MessageParser<TResponse> parser)
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        AgentFrame? answer;
        try
        {
            new AgentFrame(kind, request.ToByteArray()).Write(_stream);
            StageClock.Mark(Stage.Sent);
            answer = AgentFrame.Read(_stream);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            // The agent may have acted before it failed: never retry elsewhere, the runtime asks again.
            throw new CniException(CniErrorCode.TryAgainLater, $"the DistIpam agent at {_path} did not answer {operation}: {Reason(e)}");
        }

        StageClock.Mark(Stage.Answered);
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
    public void Dispose() => _stream.Dispose();

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

    private static string Reason(Exception e) =>
        e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } ? "deadline reached" : e.Message;
}
