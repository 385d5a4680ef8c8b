using DistIpam.Api.V1;
using Grpc.Core;
using Grpc.Health.V1;

namespace DistIpam.Security.Tests;

/// <summary>The role policy against a real server: nodes act only for themselves, readers only read, admins may do everything.</summary>
public sealed class AuthorizationTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>
{
    private static readonly TimeSpan TokenReloadTimeout = TimeSpan.FromSeconds(20);

    // The server frees a watch's slot when the watch loop sees the cancellation, which can wait
    // for its current long poll of the feed (DistIpam:Services:FeedPollTimeout, 5 s, and a bookmark).
    private static readonly TimeSpan WatchCloseTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Allocate_NodeTokenForItself_Succeeds()
    {
        var node = await NewNodeAsync();

        var response = await Ipam(node).AllocateAsync(Allocate(NewHandle(), node));

        Assert.NotEmpty(response.Addresses);
    }

    [Fact]
    public async Task Allocate_NodeCertificateForItself_Succeeds()
    {
        var ipam = new Ipam.IpamClient(fixture.Invoker(fixture.Client("system:node:cert-node-a")));

        var response = await ipam.AllocateAsync(Allocate(NewHandle(), "cert-node-a"));

        Assert.NotEmpty(response.Addresses);
    }

    [Fact]
    public async Task Allocate_NodeForAnotherNode_PermissionDeniedAndNothingAllocated()
    {
        var nodeA = await NewNodeAsync();
        var handle = NewHandle();

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Ipam(nodeA).AllocateAsync(Allocate(handle, "node-b")).ResponseAsync, nodeA, "another node");

        await RpcAssert.FailsAsync(StatusCode.NotFound, () => AdminIpam().CheckAsync(Check(handle, "10.244.0.1")).ResponseAsync);
    }

    [Fact]
    public async Task Release_NodeNamingAnotherNodesHandle_PermissionDeniedAndStillHeld()
    {
        var (nodeA, nodeB) = (await NewNodeAsync(), await NewNodeAsync());
        var handle = NewHandle();
        var held = await Ipam(nodeB).AllocateAsync(Allocate(handle, nodeB));

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Ipam(nodeA).ReleaseAsync(new ReleaseRequest { Handle = handle }).ResponseAsync, "held by another node");
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Ipam(nodeA).ReleaseAsync(new ReleaseRequest { Handle = handle, Node = nodeB }).ResponseAsync, "another node");

        var check = new CheckRequest { Handle = handle };
        check.ExpectedAddresses.AddRange(held.Addresses.Select(a => a.Address));
        var still = await AdminIpam().CheckAsync(check);
        Assert.Equal(held.Addresses.Count, still.Addresses.Count);
    }

    [Fact]
    public async Task MoveHandle_NodeTakingAnotherNodesHandle_PermissionDeniedAndStillHeld()
    {
        var (nodeA, nodeB) = (await NewNodeAsync(), await NewNodeAsync());
        var reserve = NewHandle();
        var held = await Ipam(nodeB).AllocateAsync(Allocate(reserve, nodeB));
        var move = new MoveHandleRequest { From = reserve, To = NewHandle(), Node = nodeA };
        move.ExpectedAddresses.AddRange(held.Addresses.Select(a => a.Address));

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Ipam(nodeA).MoveHandleAsync(move).ResponseAsync, "held by another node");
        move.Node = nodeB;
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Ipam(nodeA).MoveHandleAsync(move).ResponseAsync, "another node");

        var check = new CheckRequest { Handle = reserve };
        check.ExpectedAddresses.AddRange(held.Addresses.Select(a => a.Address));
        Assert.Equal(held.Addresses.Count, (await AdminIpam().CheckAsync(check)).Addresses.Count);
        var moved = await Ipam(nodeB).MoveHandleAsync(move);
        Assert.Equal(held.Addresses.Count, moved.Addresses.Count);
    }

    [Fact]
    public async Task GarbageCollect_NodeForAnotherNode_PermissionDenied()
    {
        var nodeA = await NewNodeAsync();

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => Ipam(nodeA).GarbageCollectAsync(new GarbageCollectRequest { Network = "podnet", Node = "node-b" }).ResponseAsync, "another node");
    }

    [Fact]
    public async Task ListPools_Node_PermissionDenied()
    {
        var node = await NewNodeAsync();

        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => new Pools.PoolsClient(fixture.Invoker(token: SecureServerFixture.NodeToken(node))).ListPoolsAsync(new ListPoolsRequest()).ResponseAsync, "nodes may only");
    }

    [Fact]
    public async Task Reader_ListsButCannotWrite()
    {
        var pools = new Pools.PoolsClient(fixture.Invoker(token: SecureServerFixture.ReaderToken));
        var ipam = new Ipam.IpamClient(fixture.Invoker(token: SecureServerFixture.ReaderToken));

        Assert.NotEmpty((await pools.ListPoolsAsync(new ListPoolsRequest())).Pools);
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => pools.CreatePoolAsync(NewPool()).ResponseAsync, "readers may only");
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => ipam.AllocateAsync(Allocate(NewHandle(), "node-r")).ResponseAsync, "readers may only");
        await RpcAssert.FailsAsync(StatusCode.PermissionDenied, () => pools.ReleaseNodeAsync(new ReleaseNodeRequest { Node = "node-r" }).ResponseAsync, "readers may only");
    }

    [Fact]
    public async Task Admin_CreatesPoolAndAllocatesForAnyNode()
    {
        var pools = new Pools.PoolsClient(fixture.Invoker(fixture.Client("admin")));
        var request = NewPool();

        var created = await pools.CreatePoolAsync(request);
        var allocated = await AdminIpam().AllocateAsync(Allocate(NewHandle(), "any-node"));

        Assert.Equal(request.Pool.Name, created.Name);
        Assert.NotEmpty(allocated.Addresses);
    }

    [Fact]
    public async Task Call_NoCredentials_UnauthenticatedButHealthAnswers()
    {
        var invoker = fixture.Invoker();

        await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => new Ipam.IpamClient(invoker).StatusAsync(new StatusRequest()).ResponseAsync, "authentication required");
        var health = await new Health.HealthClient(invoker).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Call_UnknownToken_UnauthenticatedWithoutEchoingIt()
    {
        const string Token = "not-a-token-but-a-long-secret-9876";

        var failure = await RpcAssert.FailsAsync(StatusCode.Unauthenticated, () => new Ipam.IpamClient(fixture.Invoker(token: Token)).StatusAsync(new StatusRequest()).ResponseAsync);

        Assert.DoesNotContain(Token, failure.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, fixture.Server.LogTail(2000), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_MoreThanTheLimitForOneIdentity_ResourceExhaustedUntilOneCloses()
    {
        var services = new Services.ServicesClient(fixture.Invoker(token: SecureServerFixture.ReaderToken));
        var open = new List<AsyncServerStreamingCall<WatchEvent>>();
        try
        {
            for (var i = 0; i < SecureServerFixture.MaxWatches; i++)
            {
                var watch = services.Watch(new WatchRequest());
                open.Add(watch);
                Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
            }

            using (var refused = services.Watch(new WatchRequest()))
            {
                await RpcAssert.FailsAsync(StatusCode.ResourceExhausted, () => refused.ResponseStream.MoveNext(CancellationToken.None), "open watches");
            }

            open[0].Dispose();
            await Poll.UntilAsync(
                async () =>
                {
                    using var again = services.Watch(new WatchRequest());
                    try
                    {
                        return await again.ResponseStream.MoveNext(CancellationToken.None) ? null : "the stream ended";
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                    {
                        return e.Status.Detail;
                    }
                },
                WatchCloseTimeout,
                "a watch accepted once one of the open ones closed");
        }
        finally
        {
            open.ForEach(w => w.Dispose());
        }
    }

    private static Handle NewHandle() => new() { Network = "podnet", ContainerId = "c-" + Guid.NewGuid().ToString("N")[..12], Interface = "eth0" };

    private static AllocateRequest Allocate(Handle handle, string node) => new() { Handle = handle, Node = node };

    private static CheckRequest Check(Handle handle, string address)
    {
        var request = new CheckRequest { Handle = handle };
        request.ExpectedAddresses.Add(address);
        return request;
    }

    private static CreatePoolRequest NewPool()
    {
        // Only the admin test creates it (the reader's attempt is refused), so one range serves both.
        return new CreatePoolRequest { Pool = new Pool { Name = "sec-admin-pool", Cidr = "10.250.7.0/24", BlockPrefixLength = 28 } };
    }

    private Ipam.IpamClient Ipam(string node) => new(fixture.Invoker(token: SecureServerFixture.NodeToken(node)));

    private Ipam.IpamClient AdminIpam() => new(fixture.Invoker(token: SecureServerFixture.AdminToken));

    // A node token appended to the file: the server reads it again without a restart.
    private async Task<string> NewNodeAsync()
    {
        var node = "node-" + Guid.NewGuid().ToString("N")[..10];
        fixture.AddNodeToken(node);
        var ipam = Ipam(node);
        await Poll.UntilAsync(
            async () =>
            {
                try
                {
                    await ipam.StatusAsync(new StatusRequest());
                    return null;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
                {
                    return e.Status.Detail;
                }
            },
            TokenReloadTimeout,
            $"the token of {node} accepted after it was added to the file");
        return node;
    }
}
