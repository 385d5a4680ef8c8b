using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Errors;

[Collection(SharedCluster.Name)]
public sealed class IpamGrainExceptionTests(ClusterFixture cluster)
{
    public static TheoryData<IpamErrorKind> Kinds() => [.. Enum.GetValues<IpamErrorKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Serializer_RoundTrip_KeepsKindAndMessage(IpamErrorKind kind)
    {
        var original = new IpamGrainException(kind, $"pool 'pods-v4' (10.244.0.0/16): {kind}");

        var copy = cluster.Serializer.Deserialize<IpamGrainException>(cluster.Serializer.SerializeToArray(original));

        Assert.NotNull(copy);
        Assert.Equal((kind, original.Message), (copy.Kind, copy.Message));
    }

    [Fact]
    public void Serializer_RoundTripAsException_KeepsTypeKindAndMessage()
    {
        var original = new IpamGrainException(IpamErrorKind.AlreadyExists, "address 10.0.0.7 is already allocated to 'net/c1/eth0'");

        var copy = cluster.Serializer.Deserialize<Exception>(cluster.Serializer.SerializeToArray<Exception>(original));

        var typed = Assert.IsType<IpamGrainException>(copy);
        Assert.Equal((original.Kind, original.Message), (typed.Kind, typed.Message));
    }
}
