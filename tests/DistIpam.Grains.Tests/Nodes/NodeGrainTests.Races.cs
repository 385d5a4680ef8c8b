using System.Net;
using DistIpam.Core.Addressing;
using DistIpam.Core.Errors;
using DistIpam.Grains.Blocks;
using DistIpam.Grains.Errors;

namespace DistIpam.Grains.Tests.Nodes;

/// <summary>
/// Calls of one (reentrant) node grain racing each other. Each test repeats its race a bounded
/// number of times; the starts are spread by a few random milliseconds to reach different
/// interleavings (jitter, not a wait for anything).
/// </summary>
public sealed partial class NodeGrainTests
{
    private const int RaceRounds = 12;

    [Fact]
    public async Task ReleaseAllAsync_AllocationsRacingTheBlockReturns_EveryHeldAddressIsInABlockThePoolClaims()
    {
        for (var round = 0; round < RaceRounds; round++)
        {
            // /29 blocks hold 6 addresses: 7 pods take two blocks, which are then emptied.
            var pool = (await _ipam.CreatePoolAsync("return-race", TestNames.IPv4(26), 29)).Name;
            var node = TestNames.Unique("node");
            var first = await Task.WhenAll(Enumerable.Range(0, 7).Select(_ => _ipam.AllocateNewAsync(node, pool)));
            var blocks = first.Select(r => r.Record.Leases[0].Block).Distinct().ToList();
            await Task.WhenAll(first.Select(r => _ipam.Handle(r.Handle).ReleaseAsync(node)));

            var drain = _ipam.Node(node).ReleaseAllAsync(long.MaxValue);
            var allocations = Enumerable.Range(0, 6).Select(i => JitteredAsync(i, () => _ipam.AllocateNewAsync(node, pool))).ToList();
            await drain;
            var held = new List<AddressLease>();
            foreach (var allocation in allocations)
            {
                held.AddRange((await allocation).Record.Leases);
            }

            await ClaimAudit.AssertHoldsAsync(_ipam, pool, blocks.Concat(held.Select(l => l.Block)), $"round {round}, pool {pool}");

            // The drain may have freed some of the racing pods' addresses (they are the node's); the rest must be findable.
            var stillHeld = (await _ipam.AllocationsAsync(pool)).Select(l => (l.Address, l.Sequence)).ToHashSet();
            var unrecorded = await ClaimAudit.UnrecordedAsync(_ipam, node, held.Where(l => stillHeld.Contains((l.Address, l.Sequence))));
            Assert.True(unrecorded.Count == 0, $"round {round}: node {node} does not list blocks [{string.Join(", ", unrecorded)}] that hold its pods' addresses");
        }
    }

    [Fact]
    public async Task ListAllocationsAsync_WhileTheNodeJoinsNewPools_NeverFailsOnItsChangingBlockList()
    {
        var node = TestNames.Unique("node");
        var pools = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            pools.Add((await _ipam.CreatePoolAsync("enumerate", TestNames.IPv4(26), 29)).Name);
            await _ipam.AllocateNewAsync(node, pools[^1]);
        }

        for (var round = 0; round < RaceRounds; round++)
        {
            var fresh = (await _ipam.CreatePoolAsync("enumerate-new", TestNames.IPv4(26), 29)).Name;
            var listing = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _ipam.Node(node).ListAllocationsAsync()));
            var sweeping = _ipam.Node(node).ReleaseHandleAsync(IpamDriver.NewHandle(), ulong.MaxValue);
            await _ipam.AllocateNewAsync(node, fresh);

            var lists = await listing;
            await sweeping;
            Assert.All(lists, l => Assert.True(l.Count >= pools.Count, $"round {round}: listed {l.Count} allocations, expected at least {pools.Count}"));
            pools.Add(fresh);
        }
    }

    [Fact]
    public async Task AllocateAsync_RequestedAddressRacingANewBlockClaim_NeverPassesMaxBlocksPerNode()
    {
        for (var round = 0; round < RaceRounds; round++)
        {
            var pool = await _ipam.CreatePoolAsync("requested-gate", TestNames.IPv4(26), 28, maxBlocksPerNode: 1);
            var node = TestNames.Unique("node");

            // The pool's first block goes to the plain allocation; the requested address lies in its last block.
            var requested = IpPrefix.Parse(pool.Cidr).BlockAt(28, 3u).AddressAt(5u).ToString();
            var plain = JitteredAsync(round, () => _ipam.AllocateNewAsync(node, pool.Name));
            var specific = Record.ExceptionAsync(() => JitteredAsync(round + 1, () => _ipam.AllocateRequestedAsync(IpamDriver.NewHandle(), node, pool.Name, requested)));
            await plain;
            var failure = await specific;

            Assert.True(
                failure is null or IpamGrainException { Kind: IpamErrorKind.Exhausted },
                $"round {round}: the requested allocation failed with {failure?.GetType().Name}: {failure?.Message}");
            var claims = await _ipam.ClaimsOfAsync(pool.Name, node);
            Assert.True(claims.Count <= 1, $"round {round}: node {node} claims [{string.Join(", ", claims)}] with MaxBlocksPerNode 1");
            Assert.True(
                failure is not null || claims.Contains(IpPrefix.Parse(pool.Cidr).BlockOf(IPAddress.Parse(requested), 28).ToString()),
                $"round {round}: the requested address was allocated but its block is not the node's");
        }
    }

    private static async Task<T> JitteredAsync<T>(int seed, Func<Task<T>> call)
    {
        await Task.Delay(new Random(seed).Next(0, 8));
        return await call();
    }
}
