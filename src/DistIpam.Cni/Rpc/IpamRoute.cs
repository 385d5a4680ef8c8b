using DistIpam.Api.Agent;
using DistIpam.Cni.Commands;
using DistIpam.Cni.Diagnostics;
using DistIpam.Cni.Errors;
using Google.Protobuf;
using Grpc.Core;
using static DistIpam.Api.V1.Ipam;

namespace DistIpam.Cni.Rpc;

/// <summary>
/// Where a verb's one Ipam call goes: to the node agent when <c>ipam.agent</c> is set and an agent
/// listens there, else (with <c>ipam.agentFallback</c>, the default) directly to the endpoints exactly
/// as without an agent; with the fallback off an absent agent is code 11.
/// </summary>
internal static class IpamRoute
{
    /// <summary>Sends one call; see the class summary.</summary>
    public static async Task<TResponse> CallAsync<TResponse>(
        CniInvocation invocation,
        string operation,
        AgentMessageKind kind,
        IMessage request,
        MessageParser<TResponse> parser,
        Func<IpamClient, CallOptions, AsyncUnaryCall<TResponse>> direct,
        bool retryUntilDeadline)
        where TResponse : IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var configuration = invocation.Configuration;
        if (configuration.AgentSocket is { } socket)
        {
            using var agent = AgentConnection.TryConnect(socket, configuration.Timeout);
            if (agent is not null)
            {
                StageClock.Mark(Stage.Connected);
                return agent.Call(operation, kind, request, parser);
            }

            if (!configuration.AgentFallback || configuration.Endpoints.Count == 0)
            {
                throw new CniException(CniErrorCode.TryAgainLater, $"no DistIpam agent listens at {socket} (ipam.agentFallback is off)");
            }

            invocation.Log.WriteLine($"distipam: no agent at {socket}; calling the endpoints directly");
        }

        var invoker = new IpamInvoker(configuration.Endpoints, configuration.Timeout, invocation.Log, configuration.Credentials);
        return await invoker.CallAsync(operation, direct, retryUntilDeadline).ConfigureAwait(false);
    }
}
