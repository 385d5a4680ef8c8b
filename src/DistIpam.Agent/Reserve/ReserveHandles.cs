using System.Globalization;
using DistIpam.Api.V1;

namespace DistIpam.Agent.Reserve;

/// <summary>
/// The server-side names of the warm reserve: slot n is an ordinary allocation of handle
/// (distipam-agent, &lt;node&gt;.reserve-&lt;n&gt;, reserve) on the agent's node, so the server's
/// uniqueness, usage, metrics and consistency check see it like any pod's (docs/agent.md).
/// </summary>
public static class ReserveHandles
{
    /// <summary>The network of every reserve handle: never a pod network, so a CNI GC of a pod network never touches it.</summary>
    public const string Network = "distipam-agent";

    /// <summary>The reserve handle of <paramref name="slot"/> on <paramref name="node"/>.</summary>
    public static Handle Of(string node, long slot) => new()
    {
        Network = Network,
        ContainerId = $"{node}.reserve-{slot.ToString(CultureInfo.InvariantCulture)}",
        Interface = "reserve",
    };

    /// <summary>The bare addresses (no prefix) of an allocation, for requested_ips.</summary>
    public static IEnumerable<string> BareAddresses(AllocateResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Addresses.Select(a => a.Address.Split('/')[0]);
    }
}
