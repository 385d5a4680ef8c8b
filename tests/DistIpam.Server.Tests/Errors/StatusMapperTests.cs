using System.Globalization;
using System.Reflection;
using DistIpam.Core.Errors;
using DistIpam.Grains.Errors;
using DistIpam.Server.Errors;
using DistIpam.Storage.Redis;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Orleans.Runtime;
using Orleans.Storage;
using StackExchange.Redis;

namespace DistIpam.Server.Tests.Errors;

/// <summary>
/// Outages and cluster changes are UNAVAILABLE (retried by clients, CNI code 11) wherever Orleans or
/// a provider wrapped them; INTERNAL is left for bugs (docs/operations.md, "Errors").
/// </summary>
public sealed class StatusMapperTests
{
    private const int SqliteBusy = 5;
    private const int SqliteIoErrorRead = 10 | (1 << 8);
    private const int SqliteSyntaxError = 1;

    public static TheoryData<string, Exception, StatusCode, string> Cases => new()
    {
        { "domain failure", new IpamGrainException(IpamErrorKind.Exhausted, "pool 'p' exhausted"), StatusCode.ResourceExhausted, "pool 'p' exhausted" },
        { "Core failure", new PoolExhaustedException("p", 64), StatusCode.ResourceExhausted, "no free address" },
        { "domain failure in an aggregate", new AggregateException(new IpamGrainException(IpamErrorKind.NotFound, "no pool 'q'")), StatusCode.NotFound, "no pool 'q'" },
        { "stale activation", new InconsistentStateException("etag mismatch"), StatusCode.Unavailable, "concurrent update" },
        { "fenced write", new StorageFencedException("silo S1 is dead"), StatusCode.Unavailable, "declared dead" },
        { "Redis unavailable, wrapped as Orleans does", new OrleansException("Error from storage provider", new StorageUnavailableException("reading block/x from Redis failed")), StatusCode.Unavailable, "storage (Redis) unavailable" },
        { "Redis connection", new RedisConnectionException(ConnectionFailureType.UnableToConnect, "It was not possible to connect"), StatusCode.Unavailable, "connection failed" },
        { "Redis timeout two levels down", new OrleansException("outer", new InvalidOperationException("middle", new RedisTimeoutException("Timeout awaiting response", CommandStatus.Sent))), StatusCode.Unavailable, "did not answer in time" },
        { "Redis loading its AOF", new RedisServerException("LOADING Redis is loading the dataset in memory"), StatusCode.Unavailable, "cannot serve now" },
        { "Redis script bug", new RedisServerException("ERR Error compiling script"), StatusCode.Internal, "ERR Error compiling script" },
        { "SQLite busy, commit outcome unknown", new OrleansException("SQLite grain storage 'ipam' failed to commit", new SqliteException("database is locked", SqliteBusy)), StatusCode.Unavailable, "storage (SQLite)" },
        { "SQLite extended I/O error", new SqliteException("disk I/O error", SqliteIoErrorRead), StatusCode.Unavailable, "storage (SQLite)" },
        { "SQLite statement bug", new SqliteException("near \"SELCT\": syntax error", SqliteSyntaxError), StatusCode.Internal, "syntax error" },
        { "silo unavailable", new SiloUnavailableException("silo S2 is dead"), StatusCode.Unavailable, "silo is unavailable" },
        { "message rejected", Rejection("target silo is shutting down"), StatusCode.Unavailable, "rejected by the cluster" },
        { "gateway too busy", new GatewayTooBusyException(), StatusCode.Unavailable, "overloaded" },
        { "connection lost", new OrleansException("send failed", new System.Net.Sockets.SocketException(104)), StatusCode.Unavailable, "connection lost" },
        { "grain call timeout", new TimeoutException("Response did not arrive on time"), StatusCode.Unavailable, "timed out" },
        { "cancelled inside the server", new TaskCanceledException(), StatusCode.Unavailable, "cancelled inside the server" },
        { "outage beside a bug in an aggregate", new AggregateException(new InvalidOperationException("bug"), new SiloUnavailableException("gone")), StatusCode.Unavailable, "silo is unavailable" },
        { "bug", new InvalidOperationException("index out of range in BlockAllocator"), StatusCode.Internal, "index out of range in BlockAllocator" },
        { "bug wrapped by Orleans", new OrleansException("Error from storage provider", new InvalidOperationException("codec missing")), StatusCode.Internal, "Error from storage provider" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ToStatus_Failure_MapsToCodeWithMessage(string failure, Exception exception, StatusCode expected, string mention)
    {
        var status = StatusMapper.ToStatus(exception);

        Assert.True(status.StatusCode == expected, $"{failure}: expected {expected}, saw {status.StatusCode} ({status.Detail})");
        Assert.True(status.Detail.Contains(mention, StringComparison.Ordinal), $"{failure}: expected the detail to name '{mention}', saw: {status.Detail}");
    }

    [Fact]
    public void ToStatus_MultiLineOrleansMessage_KeepsFirstLineOnly()
    {
        var status = StatusMapper.ToStatus(new SiloUnavailableException("silo S3 is dead\nExc level 0: a long dump"));

        Assert.Equal("a silo is unavailable (dead or declared dead), retry: silo S3 is dead", status.Detail);
    }

    [Fact]
    public void ToStatus_VeryLongMessage_IsCut()
    {
        var status = StatusMapper.ToStatus(new InvalidOperationException(new string('x', 5000)));

        Assert.True(status.Detail.Length < 500, $"expected a detail under 500 characters, saw {status.Detail.Length}");
    }

    // Orleans raises it from inside the runtime only; its constructors are not public.
    private static OrleansMessageRejectionException Rejection(string message) =>
        (OrleansMessageRejectionException)Activator.CreateInstance(
            typeof(OrleansMessageRejectionException), BindingFlags.Instance | BindingFlags.NonPublic, binder: null, [message], CultureInfo.InvariantCulture)!;
}
