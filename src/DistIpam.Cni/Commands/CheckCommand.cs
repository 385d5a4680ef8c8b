using DistIpam.Api.Agent;
using DistIpam.Core.Addressing;
using System.Globalization;
using DistIpam.Api.V1;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Rpc;

namespace DistIpam.Cni.Commands;

/// <summary>
/// CHECK: the server must still hold exactly the addresses of prevResult for this handle
/// (103 when it holds none, 104 when it holds others).
/// </summary>
internal static class CheckCommand
{
    /// <summary>Runs CHECK.</summary>
    public static async Task RunAsync(CniInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var configuration = invocation.Configuration;
        var previous = invocation.Document.PrevResult
            ?? throw CniException.InvalidConfiguration("prevResult is required for CHECK");
        var request = new CheckRequest { Handle = invocation.Handle() };
        var ips = previous.Ips ?? [];
        for (var i = 0; i < ips.Count; i++)
        {
            var field = $"prevResult.ips[{i.ToString(CultureInfo.InvariantCulture)}].address";
            if (!AddressParser.TryParsePrefix(ips[i]?.Address, out _, out _, out var error))
            {
                throw CniException.InvalidConfiguration($"{field} {InputEcho.Quote(ips[i]?.Address)} {error} (an address with a prefix length is needed)");
            }

            request.ExpectedAddresses.Add(ips[i].Address);
        }

        if (request.ExpectedAddresses.Count == 0)
        {
            throw CniException.InvalidConfiguration("prevResult.ips is empty; CHECK needs the addresses ADD returned");
        }

        await IpamRoute.CallAsync(invocation, "Check", AgentMessageKind.Check, request, CheckResponse.Parser, (client, options) => client.CheckAsync(request, options), retryUntilDeadline: true).ConfigureAwait(false);
    }
}
