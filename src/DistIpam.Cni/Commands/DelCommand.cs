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
        using var invoker = new IpamInvoker(configuration.Endpoints, configuration.Timeout, invocation.Log, configuration.Credentials);
        await invoker.CallAsync("Release", (client, options) => client.ReleaseAsync(request, options), retryUntilDeadline: true).ConfigureAwait(false);
    }
}
