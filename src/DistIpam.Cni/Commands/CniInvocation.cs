using DistIpam.Api.V1;
using DistIpam.Cni.Configuration;
using DistIpam.Cni.Invocation;
using DistIpam.Cni.Json;

namespace DistIpam.Cni.Commands;

/// <summary>Everything a verb needs: the environment, the raw and the validated configuration, and the log.</summary>
internal sealed record CniInvocation
{
    /// <summary>The CNI_* variables.</summary>
    public required CniEnvironment Environment { get; init; }

    /// <summary>The configuration as bound from stdin.</summary>
    public required NetworkConfigDocument Document { get; init; }

    /// <summary>The validated configuration.</summary>
    public required PluginConfiguration Configuration { get; init; }

    /// <summary>stderr.</summary>
    public required TextWriter Log { get; init; }

    /// <summary>The handle of this attachment: (network name, CNI_CONTAINERID, CNI_IFNAME).</summary>
    public Handle Handle() => new()
    {
        Network = Configuration.NetworkName,
        ContainerId = Environment.RequireContainerId(),
        Interface = Environment.RequireIfName(),
    };
}
