using DistIpam.Api.Agent;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Json;
using DistIpam.Cni.Rpc;

namespace DistIpam.Cni.Commands;

/// <summary>
/// GC (1.1.0): release every handle of this network on this node that is not in
/// <c>cni.dev/valid-attachments</c> (an empty list releases all). The server keeps going past
/// individual failures; if any remain, the call fails with code 106 listing them, after the rest were released.
/// </summary>
internal static class GcCommand
{
    /// <summary>Runs GC.</summary>
    public static async Task RunAsync(CniInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var configuration = invocation.Configuration;
        var (field, attachments) = invocation.Document.ValidAttachments is { } valid ? ("cni.dev/valid-attachments", valid)
            : invocation.Document.Attachments is { } legacy ? ("cni.dev/attachments", legacy)
            // Never guess "nothing is valid": that would release every live attachment on the node.
            : throw CniException.InvalidConfiguration("cni.dev/valid-attachments is required for GC (an empty list releases every attachment)");

        var request = new GarbageCollectRequest { Network = configuration.NetworkName, Node = configuration.NodeName };
        for (var i = 0; i < attachments.Count; i++)
        {
            request.Valid.Add(HandleOf(configuration.NetworkName, $"{field}[{i.ToString(CultureInfo.InvariantCulture)}]", attachments[i]));
        }

        var response = await IpamRoute.CallAsync(invocation, "GarbageCollect", AgentMessageKind.GarbageCollect, request, GarbageCollectResponse.Parser, (client, options) => client.GarbageCollectAsync(request, options), retryUntilDeadline: true).ConfigureAwait(false);
        foreach (var released in response.Released)
        {
            invocation.Log.WriteLine($"distipam: GC released {released.Network}/{released.ContainerId}/{released.Interface}");
        }

        if (response.Errors.Count > 0)
        {
            throw new CniException(
                CniErrorCode.GarbageCollectionIncomplete,
                $"GC released {response.Released.Count.ToString(CultureInfo.InvariantCulture)} attachments but could not release {response.Errors.Count.ToString(CultureInfo.InvariantCulture)}",
                string.Join("; ", response.Errors));
        }
    }

    private static Handle HandleOf(string network, string field, AttachmentEntry? attachment)
    {
        if (string.IsNullOrEmpty(attachment?.ContainerId))
        {
            throw CniException.InvalidConfiguration($"{field}.containerID is required");
        }

        return string.IsNullOrEmpty(attachment.IfName)
            ? throw CniException.InvalidConfiguration($"{field}.ifname is required")
            : new Handle { Network = network, ContainerId = attachment.ContainerId, Interface = attachment.IfName };
    }
}
