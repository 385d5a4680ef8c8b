using DistIpam.Api.V1;

namespace DistIpam.Agent.Forwarding;

/// <summary>A refusal the agent answers itself (the plugin turns it into a CNI error).</summary>
public sealed class AgentRefusalException : Exception
{
    /// <summary>Creates a refusal with a CNI code chosen by the agent.</summary>
    public AgentRefusalException(int cniCode, string message, string? details = null)
        : base(message) => Error = new AgentError { CniCode = cniCode, Message = message, Details = details ?? "" };

    /// <summary>The error frame's message.</summary>
    public AgentError Error { get; }
}
