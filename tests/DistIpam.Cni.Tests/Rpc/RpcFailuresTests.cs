using DistIpam.Client;
using DistIpam.Cni.Errors;
using DistIpam.Cni.Rpc;
using Grpc.Core;

namespace DistIpam.Cni.Tests.Rpc;

public class RpcFailuresTests
{
    [Theory]
    [InlineData(StatusCode.ResourceExhausted, CniErrorCode.PoolExhausted)]
    [InlineData(StatusCode.AlreadyExists, CniErrorCode.AddressTaken)]
    [InlineData(StatusCode.InvalidArgument, CniErrorCode.InvalidRequest)]
    [InlineData(StatusCode.NotFound, CniErrorCode.NotFound)]
    [InlineData(StatusCode.FailedPrecondition, CniErrorCode.FailedPrecondition)]
    [InlineData(StatusCode.Unavailable, CniErrorCode.TryAgainLater)]
    [InlineData(StatusCode.DeadlineExceeded, CniErrorCode.TryAgainLater)]
    [InlineData(StatusCode.Internal, CniErrorCode.ServerError)]
    [InlineData(StatusCode.Unimplemented, CniErrorCode.ServerError)]
    [InlineData(StatusCode.PermissionDenied, CniErrorCode.ServerError)]
    public void CniCodeOf_Status_DocumentedCode(StatusCode status, int expected) => Assert.Equal(expected, RpcFailures.CniCodeOf(status));

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.Aborted, true)]
    [InlineData(StatusCode.ResourceExhausted, false)]
    [InlineData(StatusCode.AlreadyExists, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.Internal, false)]
    public void IsRetryable_Status_OnlyTransientFailures(StatusCode status, bool expected) => Assert.Equal(expected, RpcFailures.IsRetryable(status));

    [Fact]
    public void ToCni_ServerAnswer_MessageFromServerDetailsNameStatusAndEndpoint()
    {
        var e = RpcFailures.ToCni("Allocate", "unix:///run/d.sock", new RpcException(new Status(StatusCode.ResourceExhausted, "pool 'pods-v4' is full")));

        Assert.Equal(CniErrorCode.PoolExhausted, e.Code);
        Assert.Equal("pool 'pods-v4' is full", e.Message);
        Assert.Equal("Allocate via unix:///run/d.sock: gRPC RESOURCE_EXHAUSTED", e.Details);
    }

    [Fact]
    public void Describe_TransportFailure_IncludesCause()
    {
        var cause = new IOException("cannot connect to Unix socket /x.sock: no such socket");
        var text = RpcStatusText.Describe(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause));

        Assert.Contains("UNAVAILABLE", text, StringComparison.Ordinal);
        Assert.Contains("/x.sock", text, StringComparison.Ordinal);
    }
}
