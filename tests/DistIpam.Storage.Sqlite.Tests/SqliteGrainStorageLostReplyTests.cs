using Orleans.Runtime;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite.Tests;

/// <summary>
/// The test-only fault of the chaos suite's embedded mode: a commit whose outcome its writers cannot
/// know (UnsafeLoseCommitReplyEvery). It must land on disk and still be reported as failed.
/// </summary>
public sealed class SqliteGrainStorageLostReplyTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task WriteStateAsync_LoseEverySecondReply_EverySecondWriteFailsButIsOnDisk()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath, o => o.UnsafeLoseCommitReplyEvery = 2);

        GrainState<TestState> first = await host.WriteAsync("k", 1);
        OrleansException lost = await Assert.ThrowsAsync<OrleansException>(() => host.WriteAsync("k", 2, first.ETag));
        GrainState<TestState> read = await host.ReadAsync("k");

        Assert.Contains("may or may not be on disk", lost.Message, StringComparison.Ordinal);
        Assert.Equal(2, read.State!.Value);
        Assert.NotEqual(first.ETag, read.ETag);

        // The writer that believed it failed is now stale: its old ETag is refused (the third commit);
        // the reloaded ETag is taken, and the fourth commit's reply is lost again.
        await Assert.ThrowsAsync<InconsistentStateException>(() => host.WriteAsync("k", 3, first.ETag));
        await Assert.ThrowsAsync<OrleansException>(() => host.WriteAsync("k", 4, read.ETag));
        Assert.Equal(4, (await host.ReadAsync("k")).State!.Value);
    }

    [Fact]
    public void Validate_NegativeLoseCommitReplyEvery_NamesTheOption()
    {
        var options = new SqliteGrainStorageOptions { DataSource = _database.FilePath, UnsafeLoseCommitReplyEvery = -1 };

        Assert.Contains(nameof(SqliteGrainStorageOptions.UnsafeLoseCommitReplyEvery), SqliteGrainStorageOptionsValidator.Describe(options), StringComparison.Ordinal);
    }
}
