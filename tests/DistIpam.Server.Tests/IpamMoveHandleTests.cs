using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>Ipam.MoveHandle against the real server: the node agent's way to give a reserve slot to a pod (docs/agent.md).</summary>
public sealed class IpamMoveHandleTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Ipam.IpamClient _ipam = fixture.Ipam;

    [Fact]
    public async Task MoveHandle_ReserveToPod_PodHoldsTheSameAddressesAndTheReserveNothing()
    {
        var node = TestHandles.UniqueId("node");
        var (reserve, held) = await AllocateAsync(node);
        var pod = TestHandles.New();

        var moved = await _ipam.MoveHandleAsync(Move(reserve, pod, node, held));

        Assert.Equal(held.Order(StringComparer.Ordinal), moved.Addresses.Select(a => a.Address).Order(StringComparer.Ordinal));
        Assert.Equal(held.Length, (await _ipam.CheckAsync(TestHandles.Check(pod, held))).Addresses.Count);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(reserve, held)).ResponseAsync, TestHandles.KeyOf(reserve));

        // A late release of the reserve handle frees nothing the pod holds.
        Assert.Empty((await _ipam.ReleaseAsync(new ReleaseRequest { Handle = reserve, Node = node })).Released);
        Assert.Equal(held.Length, (await _ipam.CheckAsync(TestHandles.Check(pod, held))).Addresses.Count);
    }

    [Fact]
    public async Task MoveHandle_Repeated_ReturnsTheSameAddresses()
    {
        var node = TestHandles.UniqueId("node");
        var (reserve, held) = await AllocateAsync(node);
        var pod = TestHandles.New();

        var first = await _ipam.MoveHandleAsync(Move(reserve, pod, node, held));
        var second = await _ipam.MoveHandleAsync(Move(reserve, pod, node, held));

        Assert.Equal(first.Addresses, second.Addresses);
    }

    [Fact]
    public async Task MoveHandle_ExpectedAddressesDiffer_FailedPreconditionNamingTheSourceAndNothingMoved()
    {
        var node = TestHandles.UniqueId("node");
        var (reserve, held) = await AllocateAsync(node);
        var pod = TestHandles.New();

        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition,
            () => _ipam.MoveHandleAsync(Move(reserve, pod, node, ["10.255.0.1"])).ResponseAsync,
            TestHandles.KeyOf(reserve));

        Assert.Equal(held.Length, (await _ipam.CheckAsync(TestHandles.Check(reserve, held))).Addresses.Count);
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(pod, held)).ResponseAsync, TestHandles.KeyOf(pod));
    }

    [Fact]
    public async Task MoveHandle_UnknownSource_NotFound()
    {
        var source = TestHandles.New();

        await RpcAssert.FailsAsync(
            StatusCode.NotFound,
            () => _ipam.MoveHandleAsync(Move(source, TestHandles.New(), TestHandles.UniqueId("node"), ["10.244.0.9"])).ResponseAsync,
            TestHandles.KeyOf(source));
    }

    [Theory]
    [InlineData("same-handle")]
    [InlineData("bad-address")]
    [InlineData("no-node")]
    public async Task MoveHandle_BadRequest_InvalidArgumentAndNothingMoved(string defect)
    {
        var node = TestHandles.UniqueId("node");
        var (reserve, held) = await AllocateAsync(node);
        var request = defect switch
        {
            "same-handle" => Move(reserve, reserve, node, held),
            "bad-address" => Move(reserve, TestHandles.New(), node, ["10.0.0.300"]),
            _ => Move(reserve, TestHandles.New(), "", held),
        };

        await RpcAssert.FailsAsync(StatusCode.InvalidArgument, () => _ipam.MoveHandleAsync(request).ResponseAsync);

        Assert.Equal(held.Length, (await _ipam.CheckAsync(TestHandles.Check(reserve, held))).Addresses.Count);
    }

    private static MoveHandleRequest Move(Handle from, Handle to, string node, IEnumerable<string> expected)
    {
        var request = new MoveHandleRequest { From = from, To = to, Node = node, Pod = new PodAttributes { Namespace = "default", Name = "moved" } };
        request.ExpectedAddresses.AddRange(expected);
        return request;
    }

    private async Task<(Handle Handle, string[] Held)> AllocateAsync(string node)
    {
        var handle = TestHandles.New("distipam-agent");
        var response = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node));
        return (handle, [.. response.Addresses.Select(a => a.Address)]);
    }
}
