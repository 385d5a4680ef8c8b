using DistIpam.Agent.Socket;
using DistIpam.Api.V1;

namespace DistIpam.Agent.Forwarding;

/// <summary>The local service with the reserve off (<see cref="AgentOptions.ReserveSize"/> 0): every request goes to the server.</summary>
public sealed class PassThrough : IAgentLocalService
{
    /// <inheritdoc />
    public Task<AllocateResponse> AllocateAsync(AllocateRequest request, IpamForwarder forwarder, CancellationToken cancellationToken) =>
        forwarder.AllocateAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<ReleaseResponse> ReleaseAsync(ReleaseRequest request, IpamForwarder forwarder, CancellationToken cancellationToken) =>
        forwarder.ReleaseAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<CheckResponse> CheckAsync(CheckRequest request, IpamForwarder forwarder, CancellationToken cancellationToken) =>
        forwarder.CheckAsync(request, cancellationToken);

    /// <inheritdoc />
    public Task<StatusResponse> StatusAsync(StatusRequest request, IpamForwarder forwarder, CancellationToken cancellationToken) =>
        forwarder.StatusAsync(request, cancellationToken);
}
