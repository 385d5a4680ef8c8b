using Grpc.Core;

namespace DistIpam.Server.Tests.Validation;

/// <summary>A unary call's context with a chosen deadline and cancellation, for interceptor tests.</summary>
internal sealed class FakeServerCallContext(DateTime deadline, CancellationToken cancellation = default) : ServerCallContext
{
    protected override string MethodCore => "/distipam.v1.Ipam/Allocate";

    protected override string HostCore => "localhost";

    protected override string PeerCore => "ipv4:127.0.0.1:1";

    protected override DateTime DeadlineCore => deadline;

    protected override Metadata RequestHeadersCore { get; } = [];

    protected override CancellationToken CancellationTokenCore => cancellation;

    protected override Metadata ResponseTrailersCore { get; } = [];

    protected override Status StatusCore { get; set; }

    protected override WriteOptions? WriteOptionsCore { get; set; }

    protected override AuthContext AuthContextCore { get; } = new(null, []);

    protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) =>
        throw new NotSupportedException();

    protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
}
