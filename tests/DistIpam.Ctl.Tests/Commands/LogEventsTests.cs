using System.Text.RegularExpressions;
using DistIpam.Api.V1;
using DistIpam.Client;
using Grpc.Core;

namespace DistIpam.Ctl.Tests.Commands;

/// <summary>
/// The server's log at its default level: allocation failures carry their stable event ids
/// (docs/operations.md, "Log events"), and no other library's information lines appear.
/// </summary>
public sealed partial class LogEventsTests(CtlServerFixture fixture) : IClassFixture<CtlServerFixture>
{
    [Fact]
    public async Task Allocate_AddressTakenAndPoolExhausted_LoggedWithTheirEventIdsAndNoForeignInfoLines()
    {
        using var client = new DistIpamClient(fixture.Endpoint);
        var pool = TestIds.Unique("tiny");
        await client.Pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = pool, Cidr = "10.253.0.0/28", BlockPrefixLength = 28, Kind = PoolKind.Pod, StrictAffinity = true } });
        var node = TestIds.Unique("node");
        var first = Allocate(pool, node);
        first.RequestedIps.Add("10.253.0.5");
        await client.Ipam.AllocateAsync(first);
        var taken = Allocate(pool, node);
        taken.RequestedIps.Add("10.253.0.5");
        await RpcAssert.FailsAsync(StatusCode.AlreadyExists, () => client.Ipam.AllocateAsync(taken).ResponseAsync);
        var exhausted = false;
        for (var i = 0; i < 20 && !exhausted; i++)
        {
            try
            {
                await client.Ipam.AllocateAsync(Allocate(pool, TestIds.Unique("other")));
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                exhausted = true;
            }
        }

        Assert.True(exhausted, $"pool {pool} (one /28 block, strict) must run out within 20 allocations");
        var log = await WaitForLogAsync("[6101]", "[6102]");

        Assert.Matches(@"warn: DistIpam\.Server\.Errors\.ErrorMappingInterceptor\[6102\]\s+\S+ out\s+/distipam\.v1\.Ipam/Allocate failed: already taken: .*10\.253\.0\.5", log);
        Assert.Matches(@"warn: DistIpam\.Server\.Errors\.ErrorMappingInterceptor\[6101\]\s+\S+ out\s+/distipam\.v1\.Ipam/Allocate failed: exhausted: .*" + Regex.Escape(pool), log);
        var foreign = ForeignInfo().Matches(log).Select(m => m.Value).Distinct().ToList();
        Assert.True(foreign.Count == 0, $"only DistIpam logs below Warning by default; saw {string.Join(", ", foreign)}");
    }

    [Fact]
    public async Task Allocate_BlockRowChangedBehindTheGrain_EtagConflictLoggedWithItsEventId()
    {
        using var client = new DistIpamClient(fixture.Endpoint);
        var pool = TestIds.Unique("etag");
        await client.Pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = pool, Cidr = "10.254.0.0/24", BlockPrefixLength = 26, Kind = PoolKind.Pod } });
        var node = TestIds.Unique("node");
        await client.Ipam.AllocateAsync(Allocate(pool, node));
        // Another writer (a stale duplicate activation, as far as the running grain can tell) moves the row on.
        Assert.Equal(1, BumpVersion("block", pool));

        // The block's write fails (UNAVAILABLE: the block reloads) and the client's retry succeeds.
        await client.Ipam.AllocateAsync(Allocate(pool, node));

        var log = await WaitForLogAsync("[6201]");
        Assert.Matches(@"warn: DistIpam\.Server\.Errors\.GrainFailureLogFilter\[6201\]\s+\S+ out\s+ETag conflict in block/" + Regex.Escape(pool), log);
        Assert.Matches(@"\[6002\]\s+\S+ out\s+/distipam\.v1\.Ipam/Allocate failed with a retryable error: block/" + Regex.Escape(pool), log);
    }

    [Fact]
    public async Task Allocate_PoolLostTheClaimOfAnOwnedBlock_ClaimConflictLoggedWithItsEventId()
    {
        var pool = TestIds.Unique("claim");
        var (owner, other) = (TestIds.Unique("owner"), TestIds.Unique("other"));
        using (var client = new DistIpamClient(fixture.Endpoint))
        {
            await client.Pools.CreatePoolAsync(new CreatePoolRequest { Pool = new Pool { Name = pool, Cidr = "10.252.0.0/28", BlockPrefixLength = 28, Kind = PoolKind.Pod } });
            await client.Ipam.AllocateAsync(Allocate(pool, owner));
        }

        // The pool's claims are lost (its store put back from before the claim) while the block keeps its owner.
        await fixture.Server.StopAsync();
        Assert.True(StoredState.Delete(fixture.Server.DataDir, "pool", pool) == 1, $"expected to delete the state of pool {pool}");
        await fixture.Server.RestartAsync();
        using var after = new DistIpamClient(fixture.Endpoint);

        // The pool hands its only block, free as far as it knows, to another node: the block refuses
        // it. The log line is the point here, not what the client is told (today FAILED_PRECONDITION).
        try
        {
            await after.Ipam.AllocateAsync(Allocate(pool, other));
        }
        catch (RpcException)
        {
        }

        var log = await WaitForLogAsync("[6202]");
        Assert.Matches(@"warn: DistIpam\.Server\.Errors\.GrainFailureLogFilter\[6202\]\s+\S+ out\s+Block claim conflict at block/" + Regex.Escape(pool) + @"\S*10\.252\.0\.0/28: .*owned by node '" + Regex.Escape(owner) + "', not '" + Regex.Escape(other) + "'", log);
    }

    private static AllocateRequest Allocate(string pool, string node)
    {
        var request = new AllocateRequest { Handle = TestIds.NewHandle(), Node = node };
        request.Pools.Add(pool);
        return request;
    }

    [GeneratedRegex(@"(info|dbug|trce): (?!DistIpam\.)[\w.]+")]
    private static partial Regex ForeignInfo();

    private int BumpVersion(string stateName, string keyPart)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(fixture.Server.DataDir, "distipam.db")};Pooling=False;Default Timeout=10");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grain_state SET version = version + 1 WHERE state_name = $state AND grain_id LIKE $pattern";
        command.Parameters.AddWithValue("$state", stateName);
        command.Parameters.AddWithValue("$pattern", "%" + keyPart + "%");
        return command.ExecuteNonQuery();
    }

    /// <summary>The server's log once it holds every one of <paramref name="events"/> (written in the background).</summary>
    private async Task<string> WaitForLogAsync(params string[] events)
    {
        var log = "";
        await Poll.UntilAsync(
            () =>
            {
                log = ReadLog();
                var missing = events.Where(e => !log.Contains(e, StringComparison.Ordinal)).ToList();
                return Task.FromResult(missing.Count == 0 ? null : $"no {string.Join(" or ", missing)} line yet");
            },
            TimeSpan.FromSeconds(10),
            $"log lines with event ids {string.Join(", ", events)}");
        return log;
    }

    private string ReadLog()
    {
        using var stream = new FileStream(fixture.Server.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
