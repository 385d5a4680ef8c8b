using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;

namespace DistIpam.Grains.Tests.Pools;

[Collection(SharedCluster.Name)]
public sealed class PoolCatalogGrainTests(ClusterFixture cluster)
{
    private readonly IpamDriver _ipam = new(cluster.Grains);

    [Fact]
    public async Task CreateAsync_NewPool_IsListedWithCanonicalFields()
    {
        var name = TestNames.Unique("create");
        var cidr = TestNames.IPv4(24);

        // Block length 0 takes the family default (/26).
        var created = await _ipam.Catalog.CreateAsync(IpamDriver.Definition(name, cidr, 0));

        Assert.Equal(26, created.BlockPrefixLength);
        var stored = await _ipam.Catalog.GetAsync(name);
        Assert.Equal((cidr, 26), (stored?.Cidr, stored?.BlockPrefixLength));
        Assert.Contains(await _ipam.Catalog.ListAsync(), p => p.Name == name && p.Cidr == cidr);
        Assert.Equal(cidr, (await _ipam.Pool(name).GetDefinitionAsync()).Cidr);
    }

    [Fact]
    public async Task CreateAsync_SameDefinitionAgain_AnsweredAsTheFirstAndNothingChanged()
    {
        // A client whose first attempt timed out after the create committed retries it.
        var name = TestNames.Unique("again");
        var definition = IpamDriver.Definition(name, TestNames.IPv4(24), 26);
        var first = await _ipam.Catalog.CreateAsync(definition);

        var again = await _ipam.Catalog.CreateAsync(definition);

        Assert.True(PoolDefinitionMapper.SameDefinition(first, again), $"expected {first}, got {again}");
        Assert.Single(await _ipam.Catalog.ListAsync(), p => p.Name == name);
    }

    [Fact]
    public async Task CreateAsync_NameTaken_FailsWithAlreadyExists()
    {
        var name = TestNames.Unique("dup");
        var first = await _ipam.Catalog.CreateAsync(IpamDriver.Definition(name, TestNames.IPv4(24), 26));

        var error = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.Catalog.CreateAsync(IpamDriver.Definition(name, TestNames.IPv4(24), 26)));

        Assert.Equal(IpamErrorKind.AlreadyExists, error.Kind);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Equal(first.Cidr, (await _ipam.Catalog.GetAsync(name))!.Cidr);
    }

    [Fact]
    public async Task CreateAsync_OverlapsExistingPool_FailsWithInvalidArgumentNamingBoth()
    {
        var cidr = TestNames.IPv4(22);
        var existing = await _ipam.CreatePoolAsync("wide", cidr, 26);
        var inner = cidr.Replace("/22", "/24", StringComparison.Ordinal);
        var name = TestNames.Unique("inner");

        var error = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.Catalog.CreateAsync(IpamDriver.Definition(name, inner, 26)));

        Assert.Equal(IpamErrorKind.InvalidArgument, error.Kind);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{existing.Name}'", error.Message, StringComparison.Ordinal);
        Assert.Null(await _ipam.Catalog.GetAsync(name));
    }

    [Fact]
    public async Task CreateAsync_InvalidCidr_FailsWithInvalidArgumentNamingTheText()
    {
        var name = TestNames.Unique("bad");

        var error = await Assert.ThrowsAsync<IpamGrainException>(
            () => _ipam.Catalog.CreateAsync(IpamDriver.Definition(name, "10.1.2.3/24", 26)));

        Assert.Equal(IpamErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("10.1.2.3/24", error.Message, StringComparison.Ordinal);
        Assert.Null(await _ipam.Catalog.GetAsync(name));
    }

    [Fact]
    public async Task EnsureAsync_CalledTwiceWithSameDefinition_CreatesOnceAndReturnsIt()
    {
        var definition = IpamDriver.Definition(TestNames.Unique("ensure"), TestNames.IPv6(64), 122);

        var first = await _ipam.Catalog.EnsureAsync(definition);
        var second = await _ipam.Catalog.EnsureAsync(definition);

        Assert.Equal(first.Cidr, second.Cidr);
        Assert.Equal(first.BlockPrefixLength, second.BlockPrefixLength);
        Assert.Single(await _ipam.Catalog.ListAsync(), p => p.Name == definition.Name);
    }

    [Fact]
    public async Task EnsureAsync_ExistingPoolWithOtherCidr_FailsWithFailedPreconditionAndKeepsPool()
    {
        var definition = IpamDriver.Definition(TestNames.Unique("ensure"), TestNames.IPv4(24), 26);
        await _ipam.Catalog.EnsureAsync(definition);
        var changed = definition with { Cidr = TestNames.IPv4(24) };

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Catalog.EnsureAsync(changed));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains(definition.Cidr, error.Message, StringComparison.Ordinal);
        Assert.Contains(changed.Cidr, error.Message, StringComparison.Ordinal);
        Assert.Equal(definition.Cidr, (await _ipam.Catalog.GetAsync(definition.Name))!.Cidr);
    }

    [Fact]
    public async Task DeleteAsync_PoolWithAllocations_IsRefusedUntilReleased()
    {
        var pool = await _ipam.CreatePoolAsync("delete", TestNames.IPv4(26), 28);
        var node = TestNames.Unique("node");
        var (handle, _) = await _ipam.AllocateNewAsync(node, pool.Name);

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Catalog.DeleteAsync(pool.Name));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains($"'{pool.Name}'", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await _ipam.Catalog.GetAsync(pool.Name));
        Assert.Equal(1, await _ipam.UsedAsync(pool.Name));

        Assert.Single(await _ipam.Handle(handle).ReleaseAsync(node));
        await _ipam.Catalog.DeleteAsync(pool.Name);

        Assert.Null(await _ipam.Catalog.GetAsync(pool.Name));
        var missing = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Pool(pool.Name).GetDefinitionAsync());
        Assert.Equal(IpamErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task DeleteAsync_ServicePoolWithClusterIps_IsRefusedUntilReleased()
    {
        var definition = IpamDriver.Definition(TestNames.Unique("svc-delete"), TestNames.IPv4(24), 0) with { Kind = 2 };
        var pool = await _ipam.Catalog.CreateAsync(definition);
        var range = cluster.Grains.GetGrain<DistIpam.Grains.Services.IClusterIpRangeGrain>(pool.Name);
        var address = await range.AllocateAsync(pool.Cidr, "default/web", null);

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Catalog.DeleteAsync(pool.Name));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains($"'{pool.Name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
        Assert.Contains("default/web", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await _ipam.Catalog.GetAsync(pool.Name));

        Assert.True(await range.ReleaseAsync("default/web", address));
        await _ipam.Catalog.DeleteAsync(pool.Name);
        Assert.Null(await _ipam.Catalog.GetAsync(pool.Name));
    }

    [Fact]
    public async Task DeleteAsync_UnknownPool_FailsWithNotFound()
    {
        var name = TestNames.Unique("ghost");

        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Catalog.DeleteAsync(name));

        Assert.Equal(IpamErrorKind.NotFound, error.Kind);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }
}
