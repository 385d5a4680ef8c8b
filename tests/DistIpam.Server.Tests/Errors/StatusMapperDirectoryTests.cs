using DistIpam.Server.Errors;
using Grpc.Core;
using Orleans.Runtime;

namespace DistIpam.Server.Tests.Errors;

/// <summary>
/// A grain directory in the middle of a membership change is UNAVAILABLE, not INTERNAL: the chaos
/// suite saw a Release answer INTERNAL "Trying to register ... on invalid silo ... Known status:
/// Dead" after a long pause (docs/chaos.md, finding F1).
/// </summary>
public sealed class StatusMapperDirectoryTests
{
    [Theory]
    [InlineData("Trying to register handle/chaosnet/c44e8s10-n2h1/eth0 on invalid silo: S127.0.0.1:45265:155137318. Known status: Dead")]
    [InlineData("The grain directory is not stable to perform the lookup. Retry later.")]
    [InlineData("Message forwarding failed: the hop limit is reached")]
    [InlineData("The target silo is no longer active: target was S127.0.0.1:1:1, but this silo is S127.0.0.1:1:2")]
    public void ToStatus_DirectoryInstability_Unavailable(string message)
    {
        var status = StatusMapper.ToStatus(new OrleansException(message));

        Assert.Equal(StatusCode.Unavailable, status.StatusCode);
        Assert.Contains("grain directory is changing", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStatus_OtherOrleansException_StaysInternal()
    {
        Assert.Equal(StatusCode.Internal, StatusMapper.ToStatus(new OrleansException("Cannot find an implementation class for grain interface")).StatusCode);
    }
}
