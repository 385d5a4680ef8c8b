using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Rpc;

namespace DistIpam.Cni.Commands;

/// <summary>
/// STATUS (1.1.0): succeeds when a server can serve ADD now; otherwise code 50 saying why. Sent to the
/// servers it names this node (as ADD does), so every STATUS renews the node's lease: runtimes call it
/// every few seconds, which makes it the node's heartbeat without an extra daemon (docs/operations.md).
/// </summary>
internal static class StatusCommand
{
    /// <summary>Runs STATUS.</summary>
    public static async Task RunAsync(CniInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var configuration = invocation.Configuration;
        StatusResponse response;
        try
        {
            // One round only: STATUS reports the present, the runtime asks again later. Sent directly it
            // names the node (the heartbeat); an agent is told nothing of it: the agent heartbeats the
            // node itself, with its addresses and version, which a relayed STATUS would overwrite.
            var direct = new StatusRequest { Node = configuration.NodeName };
            response = await IpamRoute.CallAsync(invocation, "Status", AgentMessageKind.Status, new StatusRequest(), StatusResponse.Parser, (client, options) => client.StatusAsync(direct, options), retryUntilDeadline: false).ConfigureAwait(false);
        }
        catch (CniException e)
        {
            throw new CniException(CniErrorCode.NotAvailable, $"DistIpam is not available: {e.Message}", e.Details, e);
        }

        if (!response.Ready)
        {
            throw new CniException(
                CniErrorCode.NotAvailable,
                $"DistIpam is not ready: {(string.IsNullOrEmpty(response.Message) ? "no reason given" : response.Message)}");
        }
    }
}
