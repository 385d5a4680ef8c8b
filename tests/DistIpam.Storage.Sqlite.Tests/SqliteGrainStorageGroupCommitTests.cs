using System.Diagnostics;

using Orleans.Runtime;
using Orleans.Storage;

using Xunit.Abstractions;

namespace DistIpam.Storage.Sqlite.Tests;

public sealed class SqliteGrainStorageGroupCommitTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TempDatabase _database = new();
    private readonly ITestOutputHelper _output;

    public SqliteGrainStorageGroupCommitTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task WriteStateAsync_500ConcurrentWritesToDistinctKeys_ShareTransactionsAndAreDurable()
    {
        const int Writes = 500;
        await using (StorageHost host = StorageHost.Open(_database.FilePath))
        {
            long started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, Writes).Select(i => Task.Run(() => host.WriteAsync($"k{i}", i))))
                .WaitAsync(Deadline);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);

            long transactions = host.Storage.TransactionsCommitted;
            _output.WriteLine($"{Writes} concurrent writes: {transactions} transactions, {elapsed.TotalMilliseconds:F0} ms, {Writes / elapsed.TotalSeconds:F0} writes/s");
            Assert.Equal(Writes, host.Storage.WritesCommitted);
            Assert.True(transactions < Writes / 4, $"expected fewer than {Writes / 4} transactions for {Writes} writes, saw {transactions}");
        }

        await using StorageHost reopened = StorageHost.Open(_database.FilePath);
        for (int i = 0; i < Writes; i++)
        {
            GrainState<TestState> read = await reopened.ReadAsync($"k{i}");
            Assert.True(read.RecordExists, $"k{i} was acknowledged but is missing after reopen");
            Assert.Equal(i, read.State!.Value);
        }
    }

    [Fact]
    public async Task WriteStateAsync_ConflictingWriteInBatch_FailsOnlyThatWrite()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        GrainState<TestState> victim = await host.WriteAsync("victim", 1);
        long transactionsBefore = host.Storage.TransactionsCommitted;

        List<Task<GrainState<TestState>>> good = [];
        Task<GrainState<TestState>> conflicting;
        using (new FileLock(_database.FilePath))
        {
            // The writer cannot begin while the lock is held, so everything queued here is committed
            // in at most two transactions, and the conflicting write sits between good ones.
            for (int i = 0; i < 5; i++)
            {
                good.Add(host.WriteAsync($"good{i}", i));
            }

            conflicting = host.WriteAsync("victim", 100, eTag: "7");
            for (int i = 5; i < 10; i++)
            {
                good.Add(host.WriteAsync($"good{i}", i));
            }

            Assert.All(good, t => Assert.False(t.IsCompleted, "a write completed while the file was locked"));
        }

        await Task.WhenAll(good).WaitAsync(Deadline);
        InconsistentStateException error = await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting.WaitAsync(Deadline));

        Assert.Equal(victim.ETag, error.StoredEtag);
        Assert.InRange(host.Storage.TransactionsCommitted - transactionsBefore, 1, 2);
        Assert.Equal(1, (await host.ReadAsync("victim")).State!.Value);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(i, (await host.ReadAsync($"good{i}")).State!.Value);
        }
    }

    [Fact]
    public async Task WriteStateAsync_TransactionFails_EveryWriteInItThrowsAndNothingIsStored()
    {
        await using StorageHost host = StorageHost.Open(_database.FilePath, options => options.BusyTimeout = TimeSpan.FromSeconds(1));
        await host.WriteAsync("warm-up", 0);

        Task<GrainState<TestState>>[] writes;
        using (new FileLock(_database.FilePath))
        {
            writes = [host.WriteAsync("a", 1), host.WriteAsync("b", 2), host.WriteAsync("c", 3)];
            await Task.WhenAny(Task.WhenAll(writes)).WaitAsync(Deadline);
        }

        foreach (Task<GrainState<TestState>> write in writes)
        {
            Exception error = await Assert.ThrowsAsync<OrleansException>(() => write);
            Assert.IsNotType<InconsistentStateException>(error);
        }

        Assert.True(host.Storage.FailedTransactions >= 1, $"expected a failed transaction, saw {host.Storage.FailedTransactions}");
        foreach (string key in new[] { "a", "b", "c" })
        {
            Assert.False((await host.ReadAsync(key)).RecordExists, $"{key} failed but was stored");
        }

        // The writer reopens its connection and carries on after a failed transaction.
        Assert.Equal("1", (await host.WriteAsync("a", 1)).ETag);
    }

    [Fact]
    public async Task WriteStateAsync_OneWriterAtATime_EachWriteIsItsOwnTransaction()
    {
        const int Writes = 50;
        await using StorageHost host = StorageHost.Open(_database.FilePath);
        await host.WriteAsync("warm-up", 0);
        long transactionsBefore = host.Storage.TransactionsCommitted;

        string? eTag = null;
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < Writes; i++)
        {
            eTag = (await host.WriteAsync("single", i, eTag)).ETag;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        _output.WriteLine($"{Writes} sequential writes: {elapsed.TotalMilliseconds:F0} ms, {Writes / elapsed.TotalSeconds:F0} writes/s");
        Assert.Equal(Writes, host.Storage.TransactionsCommitted - transactionsBefore);
        Assert.Equal(VersionETagText(Writes), eTag);
    }

    [Fact]
    public async Task StopAsync_WritesStillQueued_CommitsThemBeforeClosing()
    {
        Task<GrainState<TestState>>[] writes;
        await using (StorageHost host = StorageHost.Open(_database.FilePath))
        {
            await host.WriteAsync("warm-up", 0);
            Task stop;
            using (new FileLock(_database.FilePath))
            {
                writes = [.. Enumerable.Range(0, 5).Select(i => host.WriteAsync($"q{i}", i))];
                stop = host.Storage.StopAsync(CancellationToken.None);
                Assert.False(stop.IsCompleted, "stop finished while writes were still waiting for the file");
            }

            await stop.WaitAsync(Deadline);

            // The counter is final when stop returns; callers' continuations may still be on their way.
            Assert.Equal(1 + writes.Length, host.Storage.WritesCommitted);
            await Task.WhenAll(writes).WaitAsync(Deadline);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => host.WriteAsync("late", 1));
        }

        await using StorageHost reopened = StorageHost.Open(_database.FilePath);
        for (int i = 0; i < writes.Length; i++)
        {
            Assert.Equal(i, (await reopened.ReadAsync($"q{i}")).State!.Value);
        }
    }

    private static string VersionETagText(int version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
