using DistIpam.Api.V1;
using Grpc.Core;

namespace DistIpam.Server.Tests;

/// <summary>Ipam.Release, Ipam.Check and Ipam.GarbageCollect against the real server.</summary>
public sealed class IpamReleaseTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Ipam.IpamClient _ipam = fixture.Ipam;

    [Fact]
    public async Task Release_HeldHandle_FreesBothAddresses()
    {
        var (handle, held) = await AllocateAsync();

        var released = await _ipam.ReleaseAsync(new ReleaseRequest { Handle = handle });

        Assert.Equal(held.Select(IpamAllocateTests.Bare).Order(StringComparer.Ordinal), released.Released.Order(StringComparer.Ordinal));
        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(handle, held)).ResponseAsync, TestHandles.KeyOf(handle));
    }

    [Fact]
    public async Task Release_Twice_SecondSucceedsWithNothingReleased()
    {
        var (handle, _) = await AllocateAsync();
        await _ipam.ReleaseAsync(new ReleaseRequest { Handle = handle });

        var again = await _ipam.ReleaseAsync(new ReleaseRequest { Handle = handle });

        Assert.Empty(again.Released);
    }

    [Fact]
    public async Task Release_UnknownHandle_SucceedsWithNothingReleased()
    {
        var released = await _ipam.ReleaseAsync(new ReleaseRequest { Handle = TestHandles.New(), Node = TestHandles.UniqueId("node") });

        Assert.Empty(released.Released);
    }

    [Fact]
    public async Task Release_ThenAllocateSameHandle_GetsFreshAddresses()
    {
        var (handle, held) = await AllocateAsync();
        await _ipam.ReleaseAsync(new ReleaseRequest { Handle = handle });

        var again = await _ipam.AllocateAsync(TestHandles.Allocate(handle, TestHandles.UniqueId("node")));

        // Cooldown (docs/architecture.md, rule 8): a released address is not handed out again while others are free.
        Assert.Empty(again.Addresses.Select(a => a.Address).Intersect(held));
    }

    [Fact]
    public async Task Check_HeldPair_PassesAndReturnsAddresses()
    {
        var (handle, held) = await AllocateAsync();

        var checkedBare = await _ipam.CheckAsync(TestHandles.Check(handle, held.Select(IpamAllocateTests.Bare)));
        var checkedPrefixed = await _ipam.CheckAsync(TestHandles.Check(handle, held));

        Assert.Equal(held.Order(StringComparer.Ordinal), checkedBare.Addresses.Select(a => a.Address).Order(StringComparer.Ordinal));
        Assert.Equal(2, checkedPrefixed.Addresses.Count);
    }

    [Fact]
    public async Task Check_WrongPair_FailedPreconditionNamingBothSets()
    {
        var (handle, held) = await AllocateAsync();
        string[] wrong = ["10.244.255.1", "fd00:10:244::ff"];

        await RpcAssert.FailsAsync(
            StatusCode.FailedPrecondition,
            () => _ipam.CheckAsync(TestHandles.Check(handle, wrong)).ResponseAsync,
            TestHandles.KeyOf(handle),
            IpamAllocateTests.Bare(held[0]),
            "10.244.255.1");
    }

    [Fact]
    public async Task Check_OnlyOneOfPair_FailedPrecondition()
    {
        var (handle, held) = await AllocateAsync();

        await RpcAssert.FailsAsync(StatusCode.FailedPrecondition, () => _ipam.CheckAsync(TestHandles.Check(handle, held.Take(1))).ResponseAsync, TestHandles.KeyOf(handle));
    }

    [Fact]
    public async Task Check_UnknownHandle_NotFoundNamingHandle()
    {
        var handle = TestHandles.New();

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => _ipam.CheckAsync(TestHandles.Check(handle, ["10.244.0.5"])).ResponseAsync, TestHandles.KeyOf(handle));
    }

    [Fact]
    public async Task GarbageCollect_HandlesNotInValidList_DeferredByDefaultAndEveryAddressKept()
    {
        var network = TestHandles.UniqueId("gcnet");
        var node = TestHandles.UniqueId("gcnode");
        var (valid, validHeld) = await AllocateAsync(network, node);
        var (stale1, stale1Held) = await AllocateAsync(network, node);
        var (stale2, stale2Held) = await AllocateAsync(network, node);
        var (otherNetwork, otherNetworkHeld) = await AllocateAsync(TestHandles.UniqueId("othernet"), node);
        var (otherNode, otherNodeHeld) = await AllocateAsync(network, TestHandles.UniqueId("othernode"));
        var request = new GarbageCollectRequest { Network = network, Node = node };
        request.Valid.Add(valid);

        var response = await _ipam.GarbageCollectAsync(request);

        // Released later by the GC controller, after its grace and a second observation (docs/operations.md).
        Assert.Empty(response.Errors);
        Assert.Empty(response.Released);
        Assert.Equal(
            new[] { stale1.ContainerId, stale2.ContainerId }.Order(StringComparer.Ordinal),
            response.Deferred.Select(h => h.ContainerId).Order(StringComparer.Ordinal));
        foreach (var (handle, held) in new[] { (valid, validHeld), (stale1, stale1Held), (stale2, stale2Held), (otherNetwork, otherNetworkHeld), (otherNode, otherNodeHeld) })
        {
            await _ipam.CheckAsync(TestHandles.Check(handle, held));
        }
    }

    [Fact]
    public async Task GarbageCollect_AgainWithStaleOneNowListed_DefersOnlyTheOthers()
    {
        var network = TestHandles.UniqueId("gcnet");
        var node = TestHandles.UniqueId("gcnode");
        var (valid, validHeld) = await AllocateAsync(network, node);
        var (late, lateHeld) = await AllocateAsync(network, node);
        var (stale, _) = await AllocateAsync(network, node);
        var request = new GarbageCollectRequest { Network = network, Node = node };
        request.Valid.Add(valid);
        await _ipam.GarbageCollectAsync(request);
        request.Valid.Add(late);

        var again = await _ipam.GarbageCollectAsync(request);

        Assert.Empty(again.Released);
        Assert.Equal([stale.ContainerId], again.Deferred.Select(h => h.ContainerId));
        await _ipam.CheckAsync(TestHandles.Check(valid, validHeld));
        await _ipam.CheckAsync(TestHandles.Check(late, lateHeld));
    }

    private async Task<(Handle Handle, string[] Held)> AllocateAsync(string network = "podnet", string? node = null)
    {
        var handle = TestHandles.New(network);
        var response = await _ipam.AllocateAsync(TestHandles.Allocate(handle, node ?? TestHandles.UniqueId("node")));
        return (handle, [.. response.Addresses.Select(a => a.Address)]);
    }
}
