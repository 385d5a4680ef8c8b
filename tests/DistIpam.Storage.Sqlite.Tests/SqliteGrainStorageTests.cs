using System.Text;

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

using Orleans.Serialization;
using Orleans.Storage;

namespace DistIpam.Storage.Sqlite.Tests;

public sealed class SqliteGrainStorageTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ReadStateAsync_NoRow_LeavesEmptyStateAndNullETag()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);

        GrainState<TestState> state = await host.ReadAsync("missing");

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal(0, state.State!.Value);
    }

    [Fact]
    public async Task WriteStateAsync_ThenReopenFile_ReadsSameStateAndETag()
    {
        string eTag;
        await using (StorageHost host = StorageHost.Open(_database.FilePath))
        {
            GrainState<TestState> first = await host.WriteAsync("a", 1);
            GrainState<TestState> second = await host.WriteAsync("a", 2, first.ETag);
            Assert.Equal("1", first.ETag);
            Assert.True(second.RecordExists);
            eTag = second.ETag!;
        }

        await using (StorageHost reopened = StorageHost.Open(_database.FilePath))
        {
            GrainState<TestState> read = await reopened.ReadAsync("a");
            Assert.True(read.RecordExists);
            Assert.Equal(eTag, read.ETag);
            Assert.Equal(2, read.State!.Value);
            Assert.Equal("value 2", read.State!.Text);
        }
    }

    [Fact]
    public async Task WriteStateAsync_StaleETag_ThrowsInconsistentStateAndLeavesRowUnchanged()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        GrainState<TestState> first = await host.WriteAsync("a", 1);
        GrainState<TestState> second = await host.WriteAsync("a", 2, first.ETag);

        var stale = new GrainState<TestState>(new TestState { Value = 99 }, first.ETag);
        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => host.Storage.WriteStateAsync(StorageHost.StateName, StorageHost.Key("a"), stale));

        Assert.Equal(second.ETag, error.StoredEtag);
        Assert.Equal(first.ETag, error.CurrentEtag);
        Assert.Equal(first.ETag, stale.ETag);
        GrainState<TestState> read = await host.ReadAsync("a");
        Assert.Equal(2, read.State!.Value);
        Assert.Equal(second.ETag, read.ETag);
        Assert.Equal(1, host.Storage.WriteConflicts);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-version")]
    [InlineData("0")]
    public async Task WriteStateAsync_ETagThatDoesNotMatchExistingRow_Throws(string? eTag)
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        await host.WriteAsync("a", 1);

        await Assert.ThrowsAsync<InconsistentStateException>(() => host.WriteAsync("a", 2, eTag));

        Assert.Equal(1, (await host.ReadAsync("a")).State!.Value);
    }

    [Fact]
    public async Task WriteStateAsync_ETagForMissingRow_Throws()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);

        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(() => host.WriteAsync("a", 1, "3"));

        Assert.Null(error.StoredEtag);
        Assert.False((await host.ReadAsync("a")).RecordExists);
    }

    [Fact]
    public async Task WriteStateAsync_TwoActivationsRaceOnOneKey_ExactlyOneWins()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        GrainState<TestState> seen = await host.WriteAsync("a", 1);

        // Both activations read version 1, then write concurrently from different threads.
        Task<GrainState<TestState>> left = Task.Run(() => host.WriteAsync("a", 10, seen.ETag));
        Task<GrainState<TestState>> right = Task.Run(() => host.WriteAsync("a", 20, seen.ETag));
        Task<GrainState<TestState>>[] both = [left, right];
        await Task.WhenAny(Task.WhenAll(both));

        Task<GrainState<TestState>> winner = Assert.Single(both, t => t.IsCompletedSuccessfully);
        Task<GrainState<TestState>> loser = Assert.Single(both, t => t.IsFaulted);
        Assert.IsType<InconsistentStateException>(loser.Exception!.InnerException);
        GrainState<TestState> read = await host.ReadAsync("a");
        Assert.Equal((await winner).State!.Value, read.State!.Value);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task ClearStateAsync_StaleETag_ThrowsAndKeepsRow()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        GrainState<TestState> first = await host.WriteAsync("a", 1);
        await host.WriteAsync("a", 2, first.ETag);

        var stale = new GrainState<TestState>(new TestState(), first.ETag);
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => host.Storage.ClearStateAsync(StorageHost.StateName, StorageHost.Key("a"), stale));

        GrainState<TestState> read = await host.ReadAsync("a");
        Assert.True(read.RecordExists);
        Assert.Equal(2, read.State!.Value);
    }

    [Fact]
    public async Task ClearStateAsync_CurrentETag_LeavesTombstoneThatANullETagCannotOverwrite()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        GrainState<TestState> written = await host.WriteAsync("a", 1);

        await host.Storage.ClearStateAsync(StorageHost.StateName, StorageHost.Key("a"), written);

        Assert.False(written.RecordExists);
        Assert.Equal("2", written.ETag);
        Assert.Equal(0, written.State!.Value);
        GrainState<TestState> read = await host.ReadAsync("a");
        Assert.False(read.RecordExists);
        Assert.Equal("2", read.ETag);

        // An activation that last saw "no row" is stale now and must not recreate the key.
        await Assert.ThrowsAsync<InconsistentStateException>(() => host.WriteAsync("a", 5, eTag: null));
        GrainState<TestState> again = await host.WriteAsync("a", 6, written.ETag);
        Assert.Equal("3", again.ETag);
    }

    [Fact]
    public async Task ClearStateAsync_DeleteStateOnClear_RemovesRowAndNullsETag()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath, options => options.DeleteStateOnClear = true);
        GrainState<TestState> written = await host.WriteAsync("a", 1);

        await host.Storage.ClearStateAsync(StorageHost.StateName, StorageHost.Key("a"), written);

        Assert.Null(written.ETag);
        Assert.Equal(0, CountRows(_database.FilePath));
        Assert.Equal("1", (await host.WriteAsync("a", 2, written.ETag)).ETag);
    }

    [Fact]
    public async Task ClearStateAsync_NoRowAndNullETag_SucceedsWithoutWriting()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        var state = new GrainState<TestState>(new TestState { Value = 3 }, eTag: null);

        await host.Storage.ClearStateAsync(StorageHost.StateName, StorageHost.Key("a"), state);

        Assert.Null(state.ETag);
        Assert.Equal(0, CountRows(_database.FilePath));
    }

    [Fact]
    public async Task AddSqliteGrainStorage_NoSerializerConfigured_StoresOrleansBinaryWithoutTypeNames()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSerializer(serializer => serializer.AddAssembly(typeof(TestState).Assembly));
        services.AddSqliteGrainStorage("s", options => options.DataSource = _database.FilePath);
        await using ServiceProvider provider = services.BuildServiceProvider();
        SqliteGrainStorageOptions options = provider.GetRequiredService<IOptionsMonitor<SqliteGrainStorageOptions>>().Get("s");
        Assert.IsType<OrleansGrainStorageSerializer>(options.GrainStorageSerializer);

        await using StorageHost host = StorageHost.Open(_database.FilePath);
        await host.WriteAsync("a", 7);

        byte[] payload = ReadPayload(_database.FilePath);
        string text = Encoding.Latin1.GetString(payload);
        Assert.DoesNotContain(nameof(TestState), text, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", text, StringComparison.Ordinal);
        Assert.Contains("value 7", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteStateAsync_AfterStorageStopped_ThrowsObjectDisposed()
    {
        StorageHost host = StorageHost.Open(_database.FilePath);
        await host.WriteAsync("a", 1);
        SqliteGrainStorage storage = host.Storage;
        await host.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(
            () => storage.WriteStateAsync(StorageHost.StateName, StorageHost.Key("a"), new GrainState<TestState>(new TestState(), "1")));
    }

    [Fact]
    public async Task WriteStateAsync_CanceledToken_ThrowsAndWritesNothing()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Storage.WriteStateAsync(
            StorageHost.StateName, StorageHost.Key("a"), new GrainState<TestState>(new TestState()), cancellation.Token));

        Assert.False((await host.ReadAsync("a")).RecordExists);
    }

    private static long CountRows(string filePath)
    {
        using var connection = new SqliteConnection($"Data Source={filePath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM grain_state;";
        return (long)command.ExecuteScalar()!;
    }

    private static byte[] ReadPayload(string filePath)
    {
        using var connection = new SqliteConnection($"Data Source={filePath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM grain_state;";
        return (byte[])command.ExecuteScalar()!;
    }
}
