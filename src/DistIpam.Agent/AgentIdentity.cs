using Microsoft.Extensions.Options;

namespace DistIpam.Agent;

/// <summary>The node this agent serves and the version it reports.</summary>
public sealed class AgentIdentity(IOptions<AgentOptions> options)
{
    /// <summary>The node name: <see cref="AgentOptions.NodeName"/>, else the host name.</summary>
    public string NodeName { get; } = string.IsNullOrEmpty(options.Value.NodeName) ? Environment.MachineName : options.Value.NodeName;

    /// <summary>The agent's version, sent with every heartbeat.</summary>
    public static string Version => typeof(AgentIdentity).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
