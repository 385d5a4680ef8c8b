using DistIpam.Api.Agent;
using DistIpam.Api.V1;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Invocation;
using DistIpam.Cni.Json;
using DistIpam.Cni.Results;
using DistIpam.Cni.Rpc;

namespace DistIpam.Cni.Commands;

/// <summary>ADD: allocate (or return the already held) addresses of the handle, one per family.</summary>
internal static class AddCommand
{
    /// <summary>Runs ADD and returns the result to print.</summary>
    public static async Task<CniResultDocument> RunAsync(CniInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var configuration = invocation.Configuration;
        var args = CniArgs.Parse(invocation.Environment.Args);
        var request = new AllocateRequest
        {
            Handle = invocation.Handle(),
            Node = configuration.NodeName,
            Pod = new PodAttributes
            {
                Namespace = args.PodNamespace ?? "",
                Name = args.PodName ?? "",
                Uid = args.PodUid ?? "",
            },
        };
        request.Pools.AddRange(configuration.Pools);
        request.RequestedIps.AddRange(RequestedAddresses.Resolve(args, invocation.Document));

        var response = await IpamRoute.CallAsync(invocation, "Allocate", AgentMessageKind.Allocate, request, AllocateResponse.Parser, (client, options) => client.AllocateAsync(request, options), retryUntilDeadline: true).ConfigureAwait(false);
        return ResultShaper.FromAllocation(configuration, response);
    }
}
