using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;
using DistIpam.Grains.Pools;
using Orleans.Storage;

namespace DistIpam.Grains.Tests.Pools;

/// <summary>The block lifecycle: claim, confirm, return (docs/architecture.md, "Block lifecycle").</summary>
public sealed partial class PoolGrainTests
{
    private const int RaceRounds = 12;

    [Fact]
    public async Task ReturnBlockAsync_EmptyBlock_RetiresItAndRemovesTheClaim()
    {
        var (pool, node, block) = await ClaimedAsync("return-empty");

        Assert.True(await _ipam.Pool(pool).ReturnBlockAsync(block, node));

        Assert.Empty(await _ipam.Pool(pool).ListClaimsAsync());
        Assert.Null((await _ipam.Block(pool, block).GetUsageAsync()).Owner);
        Assert.True(await _ipam.Pool(pool).ReturnBlockAsync(block, node), "a second return finds nothing to return");
    }

    [Fact]
    public async Task ReturnBlockAsync_BlockHoldsAnAddress_UndoesTheReturnAndKeepsTheClaim()
    {
        var (pool, node, block) = await ClaimedAsync("return-held");
        await _ipam.Block(pool, block).AllocateAsync("h1", PodIdentity.None);

        Assert.False(await _ipam.Pool(pool).ReturnBlockAsync(block, node));

        var claim = Assert.Single(await _ipam.Pool(pool).ListClaimsAsync());
        Assert.Equal((block, node, true, false), (claim.Block, claim.Node, claim.Confirmed, claim.Returning));
        Assert.Equal(1, (await _ipam.Block(pool, block).GetUsageAsync()).Used);
    }

    [Fact]
    public async Task ReturnBlockAsync_RacingEnsureAndClaimOfTheSameNode_NeverLeavesAnInitializedBlockUnclaimed()
    {
        for (var round = 0; round < RaceRounds; round++)
        {
            var (pool, node, block) = await ClaimedAsync("return-vs-claim");
            var grain = _ipam.Pool(pool);

            // The node gives the block up while another of its calls asks for it back (a lost reply)
            // and a third, having found it retired, has the pool decide whose it is.
            var returned = grain.ReturnBlockAsync(block, node);
            var handedBack = grain.ClaimBlockAsync(node, []);
            var ensured = grain.EnsureBlockClaimedAsync(node, block);
            await Task.WhenAll(returned, handedBack, ensured);

            await ClaimAudit.AssertHoldsAsync(_ipam, pool, [block, await handedBack], $"round {round}, pool {pool}");
        }
    }

    [Fact]
    public async Task ClaimBlockAsync_ReturnInterruptedAfterTheBlockRetired_NextActivationCompletesIt()
    {
        var (pool, node, block) = await ClaimedAsync("return-crash");
        var grain = _ipam.Pool(pool);

        // A crash after the returning mark was written and the block retired, before the claim was
        // removed: storage says "returning" behind the activation, whose next write then fails.
        var stored = new GrainState<PoolState>();
        await cluster.Storage.ReadStateAsync(StateName, grain.GetGrainId(), stored);
        var state = Assert.IsType<PoolState>(stored.State);
        state.Claims[block] = state.Claims[block] with { Returning = true };
        await cluster.Storage.WriteStateAsync(StateName, grain.GetGrainId(), stored);
        Assert.True(await _ipam.Block(pool, block).RetireIfEmptyAsync(node));

        var other = TestNames.Unique("other");
        var claimed = await Eventually.SucceedsAsync(
            () => grain.ClaimBlockAsync(other, []),
            e => e is IpamGrainException { Kind: IpamErrorKind.Unavailable } or InconsistentStateException,
            "a claim on a fresh activation of the pool");

        var claims = await grain.ListClaimsAsync();
        Assert.DoesNotContain(claims, c => c.Node == node);
        Assert.Equal((claimed, other), (Assert.Single(claims).Block, claims[0].Node));
        await ClaimAudit.AssertHoldsAsync(_ipam, pool, [block, claimed], $"pool {pool}");
    }

    [Fact]
    public async Task UpdateDefinitionAsync_HeldAddressInNewReservedRange_ChangesNoBlockNorTheDefinition()
    {
        var pool = await _ipam.CreatePoolAsync("update-all-or-nothing", TestNames.IPv4(26), 28);
        var grain = _ipam.Pool(pool.Name);
        var first = await grain.ClaimBlockAsync(TestNames.Unique("node"), []);
        var second = await grain.ClaimBlockAsync(TestNames.Unique("node"), []);
        var held = await _ipam.Block(pool.Name, second).AllocateAsync("h1", PodIdentity.None);

        // One range reserving an address in each block: the first block could take it, the second cannot.
        var range = $"{IpPrefix.Parse(first).AddressAt(3u)}-{held.Address}";
        var update = pool with { ReservedRanges = [range] };
        var error = await Assert.ThrowsAsync<IpamGrainException>(() => _ipam.Catalog.UpdateAsync(update));

        Assert.Equal(IpamErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains(held.Address, error.Message, StringComparison.Ordinal);
        Assert.Empty((await grain.GetDefinitionAsync()).ReservedRanges);
        Assert.Empty((await _ipam.Catalog.GetAsync(pool.Name))!.ReservedRanges);
        foreach (var block in new[] { first, second })
        {
            Assert.Empty((await StoredBlockAsync(pool.Name, block)).Settings!.Reserved);
        }
    }

    [Fact]
    public async Task DeleteAsync_RacingAClaimInFlight_LeavesNoBlockInitializedOnceDeleted()
    {
        for (var round = 0; round < RaceRounds; round++)
        {
            var pool = await _ipam.CreatePoolAsync("delete-vs-claim", TestNames.IPv4(26), 28);
            var grain = _ipam.Pool(pool.Name);
            var node = TestNames.Unique("node");

            var claim = Record.ExceptionAsync(() => grain.ClaimBlockAsync(node, []));
            var delete = Record.ExceptionAsync(() => _ipam.Catalog.DeleteAsync(pool.Name));
            var (claimFailure, deleteFailure) = (await claim, await delete);

            Assert.True(claimFailure is null or IpamGrainException, $"round {round}: claim failed with {claimFailure}");
            Assert.True(deleteFailure is null or IpamGrainException { Kind: IpamErrorKind.FailedPrecondition }, $"round {round}: delete failed with {deleteFailure}");
            if (deleteFailure is null)
            {
                var spec = PoolDefinitionMapper.ToSpec(pool);
                for (var i = 0u; i < 4; i++)
                {
                    var block = spec.Cidr.BlockAt(28, i).ToString();
                    var owner = (await _ipam.Block(pool.Name, block).GetUsageAsync()).Owner;
                    Assert.True(owner is null, $"round {round}: pool {pool.Name} was deleted but block {block} is still owned by {owner}");
                }
            }
        }
    }

    private async Task<(string Pool, string Node, string Block)> ClaimedAsync(string purpose)
    {
        var pool = (await _ipam.CreatePoolAsync(purpose, TestNames.IPv4(26), 28)).Name;
        var node = TestNames.Unique("node");
        return (pool, node, await _ipam.Pool(pool).ClaimBlockAsync(node, []));
    }

    private async Task<BlockState> StoredBlockAsync(string pool, string block)
    {
        var stored = new GrainState<BlockState>();
        await cluster.Storage.ReadStateAsync("block", _ipam.Block(pool, block).GetGrainId(), stored);
        return Assert.IsType<BlockState>(stored.State);
    }
}
