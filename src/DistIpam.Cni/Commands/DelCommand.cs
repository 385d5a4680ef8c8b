using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using DistIpam.Cni.Rpc;

namespace DistIpam.Cni.Commands;

/// <summary>
/// DEL: release every address of the handle. Needs neither CNI_NETNS nor prevResult; an unknown
/// handle succeeds. The node name lets the server sweep the node's blocks for an ADD whose reply was lost.
/// </summary>
internal static class DelCommand
{
    /// <summary>Runs DEL.</summary>
    public static async Task RunAsync(CniInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var configuration = invocation.Configuration;
        var request = new ReleaseRequest { Handle = invocation.Handle(), Node = configuration.NodeName };
        await IpamRoute.CallAsync(invocation, "Release", AgentMessageKind.Release, request, ReleaseResponse.Parser, (client, options) => client.ReleaseAsync(request, options), retryUntilDeadline: true).ConfigureAwait(false);
    }
}
