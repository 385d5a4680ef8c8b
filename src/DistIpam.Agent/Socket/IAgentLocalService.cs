using DistIpam.Agent.Forwarding;
using DistIpam.Api.V1;

namespace DistIpam.Agent.Socket;

/// <summary>
/// What the agent answers itself before (or instead of) the server: ADD from the warm reserve, DEL
/// and CHECK from the journal, STATUS from the reserve when no server answers. Each call may hand the
/// request to <c>forwarder</c> when it cannot answer locally.
/// </summary>
public interface IAgentLocalService
{
    /// <summary>ADD; idempotent per handle like Ipam.Allocate.</summary>
    Task<AllocateResponse> AllocateAsync(AllocateRequest request, IpamForwarder forwarder, CancellationToken cancellationToken);

    /// <summary>DEL; idempotent per handle like Ipam.Release.</summary>
    Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, IpamForwarder forwarder, CancellationToken cancellationToken);

    /// <summary>CHECK.</summary>
    Task<CheckResponse> CheckAsync(CheckRequest request, IpamForwarder forwarder, CancellationToken cancellationToken);

    /// <summary>STATUS.</summary>
    Task<StatusResponse> StatusAsync(StatusRequest request, IpamForwarder forwarder, CancellationToken cancellationToken);
}
