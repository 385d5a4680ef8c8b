using DistIpam.Agent.Forwarding;
using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace DistIpam.Agent.Socket;

/// <summary>
/// Decodes a request frame, serves it (from the warm reserve or the journal when it can, else through
/// the server) and encodes the answer. <see cref="InvalidDataException"/> for a frame that is not a
/// request of the protocol; every other failure becomes an error frame.
/// </summary>
public sealed class AgentDispatcher(IpamForwarder forwarder, IAgentLocalService local)
{
    /// <summary>Serves one request frame.</summary>
    public async Task<AgentFrame> DispatchAsync(AgentFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            IMessage response = frame.Kind switch
            {
                AgentMessageKind.Allocate => await local.AllocateAsync(Parse(AllocateRequest.Parser, frame), forwarder, cancellationToken).ConfigureAwait(false),
                AgentMessageKind.Release => await local.ReleaseAsync(Parse(ReleaseRequest.Parser, frame), forwarder, cancellationToken).ConfigureAwait(false),
                AgentMessageKind.Check => await local.CheckAsync(Parse(CheckRequest.Parser, frame), forwarder, cancellationToken).ConfigureAwait(false),
                AgentMessageKind.GarbageCollect => await forwarder.GarbageCollectAsync(Parse(GarbageCollectRequest.Parser, frame), cancellationToken).ConfigureAwait(false),
                AgentMessageKind.Status => await local.StatusAsync(Parse(StatusRequest.Parser, frame), forwarder, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidDataException($"frame kind {(byte)frame.Kind} is not a request"),
            };
            return new AgentFrame(frame.Kind, response.ToByteArray());
        }
        catch (RpcException e)
        {
            return Error(new AgentError { GrpcStatus = (int)e.StatusCode, Message = string.IsNullOrEmpty(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail });
        }
        catch (AgentRefusalException e)
        {
            return Error(e.Error);
        }
    }

    private static T Parse<T>(MessageParser<T> parser, AgentFrame frame)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(frame.Message);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"undecodable {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static AgentFrame Error(AgentError error) => new(AgentMessageKind.Error, error.ToByteArray());
}
