using FsCheck.Xunit;

namespace DistIpam.Services.Tests.Grains;

/// <summary>
/// Model properties over the service grains: no ClusterIP or NodePort held twice, every IP in
/// range, all or nothing on failure, slices hold exactly the model's endpoints (at most the slice
/// size each), and replaying the feed (from the start or from a List) ends equal to a fresh List.
/// </summary>
public sealed class ServiceModelTests(ServiceClusterFixture fixture) : IClassFixture<ServiceClusterFixture>
{
    private static int _runs;

    [Property(MaxTest = 100, Arbitrary = new[] { typeof(ServiceOpGenerators) })]
    public void Operations_AnySequence_MatchModelAndReplayEqualsList(ServiceOp[] ops)
    {
        new ServiceModelRun(fixture.Grains, Interlocked.Increment(ref _runs)).RunAsync(ops).GetAwaiter().GetResult();
    }
}
